using Bff.Tests.Logout;
using Bff.Tests.Sessions;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;

namespace Bff.Tests.Events;

/// <summary>
/// Two BFF hosts on one Redis (sessions, key ring, and the sessions channel that carries "session
/// ended (reason)"): a tab whose stream is open on one instance hears why its session ended on the other.
/// </summary>
public sealed class CrossInstanceEventsTests(BffLoginFixture fixture, RedisFixture redis) : IClassFixture<BffLoginFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folderA = new();
    private readonly BffTempFolder _folderB = new();
    private readonly string _prefix = RedisServer.NewKeyPrefix();
    private BffHost _a = null!;
    private BffHost _b = null!;

    public async Task InitializeAsync()
    {
        // A heartbeat far longer than the test waits: the reason can only have come over Redis.
        var settings = RedisSessionStoreTests.RedisSettings(redis.Endpoint, _prefix);
        settings["Bff:Events:Heartbeat"] = "00:05:00";
        _a = await fixture.StartBffAsync(_folderA, settings);
        _b = await fixture.StartBffAsync(_folderB, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _folderA.Dispose();
        _folderB.Dispose();
    }

    [Fact]
    public async Task Logout_on_one_instance_reaches_a_tab_streaming_from_the_other()
    {
        using var browser = new BrowserClient(_a.BaseAddress);
        await browser.SignInAsync(_a.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password, "/Profile");
        await using var tabOnB = await EventStreamTab.OpenAsync(browser, _b.BaseAddress);
        Assert.Equal("session", (await tabOnB.NextEventAsync()).Event);
        var logoutUrl = (await browser.UserAsync())!.Value.Claim("bff:logout_url");

        using var landed = await browser.GetAsync(new Uri(_a.BaseAddress, logoutUrl + "&returnUrl=%2F"));

        Assert.Equal("logout", await tabOnB.EndedReasonAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task An_end_on_one_instance_reaches_only_that_session_s_tab_on_the_other()
    {
        using var alice = new BrowserClient(_a.BaseAddress);
        using var bob = new BrowserClient(_a.BaseAddress);
        using var aliceElsewhere = new BrowserClient(_a.BaseAddress);
        await alice.SignInAsync(_a.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password, "/Profile");
        await bob.SignInAsync(_a.BaseAddress, TestUsers.Bob.Username, TestUsers.Bob.Password, "/Profile");
        await aliceElsewhere.SignInAsync(_a.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password, "/Profile");
        await using var aliceOnB = await EventStreamTab.OpenAsync(alice, _b.BaseAddress);
        await using var bobOnB = await EventStreamTab.OpenAsync(bob, _b.BaseAddress);
        Assert.Equal("session", (await aliceOnB.NextEventAsync()).Event);
        Assert.Equal("session", (await bobOnB.NextEventAsync()).Event);

        // Ended on A, from alice's other browser; both tabs stream from B.
        using var ended = await aliceElsewhere.ApiAsync(HttpMethod.Post, new Uri(_a.BaseAddress, "/bff/sessions/end-others").AbsoluteUri);

        Assert.Equal("ended_by_user", await aliceOnB.EndedReasonAsync(TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain(bobOnB.Drain(), f => f.Event != "heartbeat");
    }
}
