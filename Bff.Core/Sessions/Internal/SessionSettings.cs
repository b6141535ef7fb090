namespace Bff.Sessions.Internal;

/// <summary>What the session feature reads of the <c>Bff</c> section, composed by the root's options.</summary>
/// <param name="Session">Server-side session settings (<c>Bff:Session</c>).</param>
/// <param name="LoginPath">Where the cookie scheme sends anonymous page requests (<c>Bff:LoginPath</c>).</param>
/// <param name="AccessDeniedPath">Where it sends forbidden page requests (<c>Bff:AccessDeniedPath</c>).</param>
/// <param name="EffectiveApiPathPrefixes">The paths answered as an API (<c>Bff:ApiPathPrefixes</c>, or its default).</param>
internal sealed record SessionSettings(BffSessionOptions Session, string LoginPath, string AccessDeniedPath, IReadOnlyList<string> EffectiveApiPathPrefixes);
