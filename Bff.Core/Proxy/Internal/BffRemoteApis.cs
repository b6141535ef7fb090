namespace Bff.Proxy.Internal;

/// <summary>The remote APIs proxied with the user's token (<c>Bff:RemoteApis:&lt;name&gt;</c>), by name.</summary>
/// <param name="Apis">The configured remote APIs.</param>
internal sealed record BffRemoteApis(IDictionary<string, BffRemoteApiOptions> Apis);
