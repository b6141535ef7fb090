using Bff.Sessions;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Reliability;

/// <summary>
/// Many browsers (each its own cookie jar) signing in at once through the DevIdp's real login form.
/// The realm has two usable users, so this is also "concurrent first logins of the same user":
/// each must still map to exactly one user row.
/// </summary>
public sealed class ConcurrentSignInTests : IAsyncLifetime
{
    private const int SignIns = 500;
    private const int InFlight = 50;
    private TokenTestRig rig = null!;

    // Five hundred browsers on one loopback address stand for five hundred people on as many
    // addresses: the per-address login rate limit is off here (LoginFloodTests covers it).
    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        bffSettings: new Dictionary<string, string?> { ["Bff:Login:RateLimit:PermitLimit"] = "0" });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Five_hundred_concurrent_sign_ins_each_get_their_own_session_and_no_duplicate_users()
    {
        using var gate = new SemaphoreSlim(InFlight);
        var cookies = await Task.WhenAll(Enumerable.Range(0, SignIns).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var browser = await rig.SignInAsync(i % 2 == 0 ? "alice" : "bob");
                using var user = await browser.GetApiAsync("/bff/user");
                Assert.Equal(System.Net.HttpStatusCode.OK, user.StatusCode);
                return browser.GetCookie("__Host-bff");
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(SignIns, cookies.Distinct(StringComparer.Ordinal).Count());
        var alice = await rig.Sessions.FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id));
        var bob = await rig.Sessions.FindAsync(new SessionFilter(Subject: TestUsers.Bob.Id));
        Assert.Equal(SignIns / 2, alice.Count);
        Assert.Equal(SignIns / 2, bob.Count);
        Assert.Equal(SignIns, alice.Concat(bob).Select(s => s.Key).Distinct(StringComparer.Ordinal).Count());

        var users = await rig.Bff.Services.GetRequiredService<IUserStore>().ListAsync();
        Assert.Single(users, u => u.UserName == "alice");
        Assert.Single(users, u => u.UserName == "bob");
        Assert.Equal(2, users.Count);
    }
}
