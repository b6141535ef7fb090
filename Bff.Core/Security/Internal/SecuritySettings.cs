using Bff.Users;

namespace Bff.Security.Internal;

/// <summary>What the security feature reads of the <c>Bff</c> section, composed by the root's options.</summary>
/// <param name="PublicOrigin">The origin people reach the BFF at (<c>Bff:PublicOrigin</c>), if set.</param>
/// <param name="ForwardedHeaders">Which proxies' forwarded headers count (<c>Bff:ForwardedHeaders</c>).</param>
/// <param name="Users">Local user settings (<c>Bff:Users</c>), for bearer-token callers.</param>
/// <param name="EffectiveApiPathPrefixes">The paths answered as an API (<c>Bff:ApiPathPrefixes</c>, or its default).</param>
internal sealed record SecuritySettings(Uri? PublicOrigin, BffForwardedHeadersOptions ForwardedHeaders, BffUserOptions Users, IReadOnlyList<string> EffectiveApiPathPrefixes);
