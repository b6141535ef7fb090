namespace Bff.Sessions;

/// <summary>
/// One server-side session: what the BFF keeps for a browser whose cookie carries only <see cref="Key"/>.
/// </summary>
/// <remarks>
/// The authentication ticket and the tokens are kept apart on purpose: the cookie handler renews
/// the ticket (sliding expiration) with whatever copy the request loaded, and a request that began
/// before a token refresh must not write the old tokens back over the new ones. Tokens therefore
/// change only through token writes: <see cref="IServerSessionStore.UpdateTokensAsync"/>, and the
/// token service's compare-and-set on <see cref="Version"/> when it refreshes.
/// </remarks>
public sealed record ServerSession
{
    /// <summary>The opaque, random session key the cookie carries.</summary>
    public required string Key { get; init; }

    /// <summary>The user's <c>sub</c> at the identity provider.</summary>
    public string? Subject { get; init; }

    /// <summary>The identity provider's session id (Keycloak <c>sid</c>), used by back-channel logout.</summary>
    public string? SessionId { get; init; }

    /// <summary>The issuer that authenticated the user.</summary>
    public string? Issuer { get; init; }

    /// <summary>The serialized authentication ticket (principal and properties, without tokens).</summary>
    public required byte[] Ticket { get; init; }

    /// <summary>The tokens of this session, if any were issued.</summary>
    public SessionTokens? Tokens { get; init; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the session was last used.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>When the session ends however active it is (absolute expiry).</summary>
    public DateTimeOffset Expires { get; init; }

    /// <summary>
    /// When the session ends unless it is used again (idle expiry, moved on by sliding renewal);
    /// <see langword="null"/> when only <see cref="Expires"/> applies.
    /// </summary>
    public DateTimeOffset? IdleExpires { get; init; }

    /// <summary>The browser's user agent when the session was created, for the sessions page.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The client address when the session was created, for the sessions page.</summary>
    public string? IpAddress { get; init; }

    /// <summary>
    /// Moves on with every write of the tokens (and every save of the whole session), never with a
    /// sliding renewal: a reader that remembers it can write new tokens only if nobody else has
    /// since (the token service's compare-and-set when it refreshes). Assigned by the store.
    /// </summary>
    public long Version { get; init; }
}

/// <summary>
/// The tokens the identity provider issued for one session. Never sent to a browser.
/// </summary>
/// <param name="AccessToken">The access token.</param>
/// <param name="AccessTokenExpiresAt">When the access token expires.</param>
/// <param name="RefreshToken">The refresh token, when one was issued.</param>
/// <param name="IdToken">The ID token, kept for <c>id_token_hint</c> at logout.</param>
/// <param name="TokenType">The token type, normally <c>Bearer</c>.</param>
public sealed record SessionTokens(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string? RefreshToken,
    string? IdToken,
    string? TokenType = "Bearer");
