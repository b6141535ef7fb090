using System.Runtime.CompilerServices;
using Bff.Sessions;

namespace Bff.Tokens.Internal;

/// <summary>
/// An access token result together with the <c>Authorization</c> header value that carries it
/// downstream (<c>"&lt;type&gt; &lt;token&gt;"</c>), built once.
/// </summary>
/// <remarks>
/// For a session's tokens as the session cache holds them (<see cref="ForCached"/>) one instance serves
/// every request until the tokens are written again (a refresh, a new sign-in): a write replaces the
/// cached tokens object, and the instance kept with the old object goes with it. So a proxied call
/// allocates neither the result nor a header string of the token's length; the header is the one
/// more plaintext copy of the token, living exactly as long as the cached tokens themselves.
/// </remarks>
internal sealed class IssuedAccessToken
{
    private static readonly ConditionalWeakTable<SessionTokens, IssuedAccessToken> KeptWithTokens = [];

    private IssuedAccessToken(UserTokenResult result)
    {
        Result = result;
        AuthorizationHeader = result.Succeeded ? result.TokenType + " " + result.AccessToken : null;
    }

    /// <summary>The result handed to callers of <see cref="IUserTokenManager"/>.</summary>
    public UserTokenResult Result { get; }

    /// <summary>The header value, when <see cref="Result"/> carries a token.</summary>
    public string? AuthorizationHeader { get; }

    /// <summary>A result of its own (a failure, a refresh's outcome, a token that is not cached).</summary>
    public static IssuedAccessToken Of(UserTokenResult result) => new(result);

    /// <summary>The session's tokens, read outside the session cache.</summary>
    public static IssuedAccessToken Of(SessionTokens tokens) =>
        new(UserTokenResult.Success(tokens.AccessToken, tokens.AccessTokenExpiresAt, tokens.TokenType));

    /// <summary>
    /// The session's tokens as the session cache holds them (<see cref="Sessions.Internal.SessionTokensRead.Cached"/>):
    /// the instance kept with that tokens object, made on first use.
    /// </summary>
    public static IssuedAccessToken ForCached(SessionTokens tokens) =>
        KeptWithTokens.GetValue(tokens, static t => Of(t));
}
