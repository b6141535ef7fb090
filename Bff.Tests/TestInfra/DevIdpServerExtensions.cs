using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>URLs of a running DevIdp.</summary>
public static class DevIdpServerExtensions
{
    /// <summary>The realm's OIDC endpoint <paramref name="name"/> (auth, token, userinfo, logout, certs, revoke, token/introspect).</summary>
    public static Uri Endpoint(this DevIdpServer server, string name, string realm = TestClients.Realm)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new Uri($"{server.Authority(realm)}/protocol/openid-connect/{name}");
    }
}
