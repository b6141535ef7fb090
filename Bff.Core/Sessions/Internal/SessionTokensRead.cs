namespace Bff.Sessions.Internal;

/// <summary>What <see cref="IInternalSessionStore.GetTokensAsync"/> found of a session's tokens.</summary>
/// <param name="Found">Whether the session exists (and has not expired).</param>
/// <param name="Tokens">Its tokens; <see langword="null"/> when it has none, or they cannot be read.</param>
/// <param name="Cached">
/// Whether <paramref name="Tokens"/> is the object the session cache holds: then every read returns
/// that same object until the tokens are written again, so what is derived from it can be kept with it.
/// </param>
internal readonly record struct SessionTokensRead(bool Found, SessionTokens? Tokens, bool Cached);
