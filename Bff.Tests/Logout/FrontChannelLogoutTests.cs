using System.Net;
using System.Text.Json;
using Bff.Tests.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Logout;

/// <summary>
/// The OpenID Connect handler's front-channel sign-out path (<c>/signout-oidc</c>) is switched off: the
/// realm's client uses back-channel logout, and that handler would drop the cookie's session without
/// revoking its refresh token at the identity provider. A request there, even one naming the session's
/// own <c>sid</c> and <c>iss</c> as a provider would, must leave the session whole.
/// </summary>
public sealed class FrontChannelLogoutTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;

    public async Task InitializeAsync()
    {
        rig = await TokenTestRig.StartAsync();
        alice = await rig.SignInAsync("alice");
    }

    public async Task DisposeAsync()
    {
        alice.Dispose();
        await rig.DisposeAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task A_front_channel_signout_with_the_sessions_sid_and_iss_is_not_served_and_the_session_lives_on(string method)
    {
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.False(string.IsNullOrEmpty(session.SessionId));
        Assert.False(string.IsNullOrEmpty(session.Issuer));
        var refreshToken = session.Tokens!.RefreshToken!;
        var parameters = new Dictionary<string, string> { ["sid"] = session.SessionId!, ["iss"] = session.Issuer! };

        using var request = method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, "/signout-oidc?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")))
            : new HttpRequestMessage(HttpMethod.Post, "/signout-oidc") { Content = new FormUrlEncodedContent(parameters) };
        using var response = await alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cleared) && cleared.Any(c => c.StartsWith("__Host-bff=", StringComparison.Ordinal)),
            "The session cookie must not be cleared.");

        // Not half logged out: the server-side session is still there, the cookie still signs the
        // user in, and the refresh token is still alive at the identity provider.
        var after = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.Equal(session.Key, after.Key);
        using var user = await alice.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var introspection = await CodeFlow.IntrospectAsync(rig.Idp, refreshToken);
        Assert.Equal(JsonValueKind.True, introspection.GetProperty("active").ValueKind);
    }
}
