using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;

namespace Bff.Tests.Sessions;

/// <summary>
/// A real Redis (the session store) stopped under a running BFF, over real HTTP: the 503 the SPA gets
/// and the page people get say that it is the session store, Redis, that cannot be reached (not only
/// "a service"), and never where it runs; once Redis is back the session works again.
/// </summary>
public sealed class RedisOutageAnswersTests
{
    [Fact]
    public async Task With_Redis_down_the_503_names_the_session_store_and_not_its_address()
    {
        await using var redis = await RedisServer.StartPrivateAsync();
        await using var rig = await TokenTestRig.StartAsync(bffSettings: RedisSessionStoreTests.RedisSettings(redis.Endpoint, RedisServer.NewKeyPrefix()));
        using var alice = await rig.SignInAsync("alice");

        await redis.StopAsync();

        // The instance notices the dropped connection (and empties its memory cache) within moments.
        var (status, problem) = await UntilUnavailableAsync(alice);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("session_store_unavailable", problem.GetProperty("error").GetString());
        Assert.Equal("redis", problem.GetProperty("store").GetString());
        Assert.Equal("Session store unavailable", problem.GetProperty("title").GetString());
        Assert.Contains("session store (Redis)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Port.ToString(CultureInfo.InvariantCulture), problem.GetRawText(), StringComparison.Ordinal);

        using (var page = await alice.GetAsync("/Profile", followRedirects: false))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("because the session store (Redis) cannot be reached", html, StringComparison.Ordinal);
            Assert.DoesNotContain(redis.Port.ToString(CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        }

        await redis.StartAsync();
        for (var attempt = 0; ; attempt++)
        {
            using var back = await alice.GetApiAsync("/bff/user");
            if (back.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(attempt < 100, $"the session did not work again after Redis came back ({(int)back.StatusCode})");
            await Task.Delay(200);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> UntilUnavailableAsync(BrowserClient browser)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await browser.GetApiAsync("/bff/user");
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK || attempt >= 100)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
            }

            await Task.Delay(200);
        }
    }
}
