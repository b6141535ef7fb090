using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Cluster;

/// <summary>
/// The acceptance tests of several instances, over real HTTP through nginx or straight to one
/// instance (cookies ignore ports, so one browser's session cookie reaches both).
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class TwoInstanceTests(ClusterFixture cluster)
{
    private static readonly string[] BurstPaths = ["/bff/user", "/api/remote/whoami", "/Profile"];

    private ClusterInstance A => cluster.Instances[0];

    private ClusterInstance B => cluster.Instances[1];

    [Fact]
    public async Task A_session_signed_in_through_one_instance_works_on_the_other()
    {
        using var onA = await cluster.SignInAsync(TestUsers.Alice, A.Address);
        using var onB = new BrowserClient(B.Address);
        CopyCookies(onA, onB);

        using var page = await onB.GetAsync("/Profile", followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("alice", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var user = await onB.UserAsync();
        Assert.NotNull(user);
        Assert.Equal("alice", user!.Value.Claim("preferred_username"));
        using var notes = await onB.GetApiAsync("/api/notes");
        Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
        using var proxied = await onB.GetApiAsync("/api/remote/whoami");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        var whoami = JsonDocument.Parse(await proxied.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TestUsers.Alice.Id, whoami.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_refresh_storm_over_both_instances_makes_exactly_one_refresh_call()
    {
        using var browser = await cluster.SignInAsync(TestUsers.Bob);
        var signedInAt = DateTimeOffset.UtcNow;
        using (var first = await browser.GetApiAsync("/api/remote/whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await ClusterFixture.WaitUntilDueAsync(signedInAt);
        var refreshesBefore = cluster.Idp.TokenRequests("refresh_token");
        var reusesBefore = cluster.Idp.RefreshTokenReuses;
        var logBefore = File.Exists(cluster.Balancer.AccessLog) ? File.ReadAllLines(cluster.Balancer.AccessLog).Length : 0;

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await browser.GetApiAsync("/api/remote/whoami");
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(calls);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, cluster.Idp.TokenRequests("refresh_token") - refreshesBefore);
        Assert.Equal(reusesBefore, cluster.Idp.RefreshTokenReuses);
        var served = File.ReadAllLines(cluster.Balancer.AccessLog).Skip(logBefore).Where(l => l.Contains("/api/remote/whoami", StringComparison.Ordinal)).ToList();
        Assert.Contains(served, l => l.Contains("upstream=127.0.0.1:" + A.Address.Port, StringComparison.Ordinal));
        Assert.Contains(served, l => l.Contains("upstream=127.0.0.1:" + B.Address.Port, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_instance_killed_while_it_holds_the_refresh_lease_leaves_the_refresh_to_the_other_and_no_token_is_reused()
    {
        using var onA = await cluster.SignInAsync(ClusterFixture.LoadUserName(1), ClusterFixture.LoadUserName(1) + "-password", A.Address);
        var signedInAt = DateTimeOffset.UtcNow;
        using var onB = new BrowserClient(B.Address);
        CopyCookies(onA, onB);
        await ClusterFixture.WaitUntilDueAsync(signedInAt);
        var reusesBefore = cluster.Idp.RefreshTokenReuses;
        var heldBefore = cluster.Idp.HeldRefreshes;
        try
        {
            // A takes the lease and calls the token endpoint, which holds the call.
            cluster.Idp.RefreshDelay = TimeSpan.FromMinutes(5);
            var stuck = onA.GetApiAsync("/api/remote/whoami");
            var clock = Stopwatch.StartNew();
            while (cluster.Idp.HeldRefreshes == heldBefore)
            {
                if (stuck.IsCompleted)
                {
                    using var answered = await stuck;
                    Assert.Fail($"instance a answered {answered.StatusCode} without calling the token endpoint: {await answered.Content.ReadAsStringAsync()}");
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "instance a never called the token endpoint");
                await Task.Delay(20);
            }

            await A.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => stuck);
            cluster.Idp.RefreshDelay = TimeSpan.Zero;

            // B waits for A's lease to run out, takes it, re-reads and redeems the refresh token A never used.
            using var proxied = await onB.GetApiAsync("/api/remote/whoami");
            Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
            Assert.Equal(reusesBefore, cluster.Idp.RefreshTokenReuses);
            Assert.NotNull(await onB.UserAsync());
        }
        finally
        {
            cluster.Idp.RefreshDelay = TimeSpan.Zero;
            if (!A.IsRunning)
            {
                await A.StartAsync();
            }
        }

        // The session survives on the restarted instance too.
        Assert.NotNull(await onA.UserAsync());
    }

    [Fact]
    public async Task Five_hundred_concurrent_first_sign_ins_of_fifty_users_over_both_instances_make_fifty_user_rows()
    {
        var clock = Stopwatch.StartNew();
        var signIns = Enumerable.Range(0, 500).Select(i => Task.Run(async () =>
        {
            var name = ClusterFixture.LoadUserName((i % ClusterFixture.LoadUsers) + 1);
            using var browser = cluster.Browser();
            using var landed = await browser.SignInAsync(cluster.Address, name, name + "-password", "/Profile");
            return (landed.StatusCode, landed.RequestMessage!.RequestUri!.AbsolutePath);
        })).ToList();
        var results = await Task.WhenAll(signIns);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "/Profile"), r));
        await using var connection = new Npgsql.NpgsqlConnection(cluster.UsersDatabase);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM bff.users WHERE user_name LIKE 'load-%'", connection);
        Assert.Equal(ClusterFixture.LoadUsers, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        await using var distinct = new Npgsql.NpgsqlCommand("SELECT count(DISTINCT user_name) FROM bff.users WHERE user_name LIKE 'load-%'", connection);
        Assert.Equal(ClusterFixture.LoadUsers, Convert.ToInt32(await distinct.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"500 sign-ins over two instances: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_back_channel_logout_posted_to_one_instance_makes_the_next_request_on_the_other_a_401()
    {
        using var onB = await cluster.SignInAsync(TestUsers.Dave, B.Address);
        var user = await onB.UserAsync();
        Assert.NotNull(user);
        var sid = user!.Value.Claim("sid");

        using var http = new HttpClient();
        using var posted = await http.PostAsync(new Uri(A.Address, "/bff/backchannel"), LogoutForm(cluster.LogoutTokens.Valid(sid: sid, sub: TestUsers.Dave.Id)));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        using var next = await onB.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
    }

    [Fact]
    public async Task A_logout_token_replayed_to_the_other_instance_or_after_both_restarted_is_refused()
    {
        using var browser = await cluster.SignInAsync(TestUsers.Bob);
        var sid = (await browser.UserAsync())!.Value.Claim("sid");
        var token = cluster.LogoutTokens.Valid(sid: sid, sub: TestUsers.Bob.Id);
        using var http = new HttpClient();

        using (var first = await http.PostAsync(new Uri(A.Address, "/bff/backchannel"), LogoutForm(token)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var replayed = await http.PostAsync(new Uri(B.Address, "/bff/backchannel"), LogoutForm(token)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        }

        await cluster.RestartAllAsync();
        foreach (var instance in cluster.Instances)
        {
            using var afterRestart = await http.PostAsync(new Uri(instance.Address, "/bff/backchannel"), LogoutForm(token));
            Assert.Equal(HttpStatusCode.BadRequest, afterRestart.StatusCode);
        }
    }

    [Fact]
    public async Task Redis_stopped_mid_burst_answers_503_never_500_and_the_sessions_work_again_once_it_is_back()
    {
        var browsers = new List<BrowserClient>();
        try
        {
            foreach (var user in new[] { TestUsers.Alice, TestUsers.Bob })
            {
                browsers.Add(await cluster.SignInAsync(user));
            }

            var statuses = new ConcurrentQueue<(string Path, HttpStatusCode Status)>();
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var browser = browsers[w % browsers.Count];
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var path = BurstPaths[n % BurstPaths.Length];
                    using var response = path == "/Profile"
                        ? await browser.GetAsync(path, followRedirects: false)
                        : await browser.GetApiAsync(path);
                    statuses.Enqueue((path, response.StatusCode));
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        // People get a readable page, the SPA ProblemDetails; neither is a 500.
                        Assert.Equal(path == "/Profile" ? "text/html" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    }

                    await Task.Delay(20);
                }
            })).ToList();

            await WaitUntilAsync(() => statuses.Count(s => s.Status == HttpStatusCode.OK) >= 30, "the burst did not get going");
            await cluster.Redis.StopAsync();
            await WaitUntilAsync(() => statuses.Count(s => s.Status == HttpStatusCode.ServiceUnavailable) >= 20, "no 503 while Redis was down");
            using (var http = new HttpClient())
            using (var ready = await http.GetAsync(new Uri(A.Address, "/health/ready")))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            await cluster.Redis.StartAsync();
            await WaitUntilAsync(
                () => !statuses.IsEmpty && statuses.TakeLast(12).All(s => s.Status == HttpStatusCode.OK),
                "the sessions did not work again after Redis came back");
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            Assert.DoesNotContain(statuses, s => s.Status == HttpStatusCode.InternalServerError);
            Assert.DoesNotContain(statuses, s => s.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.Found);
            foreach (var browser in browsers)
            {
                Assert.NotNull(await browser.UserAsync());
            }
        }
        finally
        {
            if (!await cluster.Redis.PingsAsync())
            {
                await cluster.Redis.StartAsync();
            }

            browsers.ForEach(b => b.Dispose());
        }
    }

    private static FormUrlEncodedContent LogoutForm(string token) => new([new KeyValuePair<string, string>("logout_token", token)]);

    /// <summary>Gives <paramref name="to"/> the session cookies of <paramref name="from"/> (another browser tab on another instance).</summary>
    private static void CopyCookies(BrowserClient from, BrowserClient to)
    {
        foreach (System.Net.Cookie cookie in from.Cookies.GetAllCookies())
        {
            to.Cookies.Add(cookie);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), failure);
            await Task.Delay(50);
        }
    }
}
