using System.Net;
using System.Text.Json;
using Bff.Events;
using Bff.Tests.Events;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests;

/// <summary>
/// The management endpoints come from DI at paths from options: one registration replaces a handler
/// (keeping the endpoint's conventions), one setting moves an endpoint. Real HTTP, real DevIdp sign-in.
/// </summary>
public sealed class EndpointRegistrationTests
{
    [Fact]
    public async Task A_registered_user_endpoint_replaces_the_BFF_s_and_keeps_its_antiforgery_rule()
    {
        // Registered before AddBff (Bff.Web calls it): AddBff keeps an app's handler.
        await using var rig = await TokenTestRig.StartAsync(configure: builder => builder.Services.AddTransient<IUserEndpoint, GreetingUserEndpoint>());
        using var browser = await rig.SignInAsync("alice");

        var response = await browser.GetApiAsync("/bff/user");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"greeting\":\"hello alice\"}", body);

        // Still a BFF API endpoint: without X-CSRF the app's handler is never reached.
        var withoutHeader = await browser.GetApiAsync("/bff/user", antiforgery: false);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutHeader.StatusCode);
        Assert.DoesNotContain("greeting", await withoutHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_setting_moves_the_user_endpoint_and_the_logout_url_follows_the_logout_path()
    {
        await using var rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
        {
            ["Bff:UserPath"] = "/auth/me",
            ["Bff:LogoutPath"] = "/auth/logout",
        });
        using var browser = await rig.SignInAsync("alice");

        var moved = await browser.GetApiAsync("/auth/me");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var claims = JsonSerializer.Deserialize<JsonElement>(await moved.Content.ReadAsStringAsync()).EnumerateArray()
            .Select(c => (Type: c.GetProperty("type").GetString()!, Value: c.GetProperty("value").GetString()!)).ToList();
        Assert.Contains(("preferred_username", "alice"), claims);
        Assert.StartsWith("/auth/logout?sid=", claims.Single(c => c.Type == "bff:logout_url").Value, StringComparison.Ordinal);

        var old = await browser.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task One_setting_moves_the_events_stream_and_the_old_path_is_gone()
    {
        await using var rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
        {
            ["Bff:EventsPath"] = "/auth/events",
        });
        using var browser = await rig.SignInAsync("alice");

        // The moved path serves the session's stream (its first frame names the session)...
        await using (var tab = await EventStreamTab.OpenAsync(browser, rig.Bff.BaseAddress, "/auth/events"))
        {
            Assert.Equal("session", (await tab.NextEventAsync()).Event);
        }

        // ...and is still a BFF API endpoint: without X-CSRF the stream is not opened.
        var (http, withoutHeader) = await EventStreamTab.RequestAsync(browser, rig.Bff.BaseAddress, antiforgery: false, path: "/auth/events");
        using (http)
        using (withoutHeader)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutHeader.StatusCode);
        }

        var old = await browser.GetApiAsync("/bff/events");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public void The_builder_replaces_an_endpoint_handler_registered_by_AddBff()
    {
        using var folder = new BffTempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(BffServices.ValidConfiguration(folder)).Build();
        var plain = new ServiceCollection();
        plain.AddBff(configuration);
        var replaced = new ServiceCollection();
        replaced.AddBff(configuration).AddEndpoint<IUserEndpoint, GreetingUserEndpoint>();

        Assert.Equal(typeof(Bff.Users.Internal.DefaultUserEndpoint), Assert.Single(plain, d => d.ServiceType == typeof(IUserEndpoint)).ImplementationType);
        Assert.Equal(typeof(GreetingUserEndpoint), Assert.Single(replaced, d => d.ServiceType == typeof(IUserEndpoint)).ImplementationType);

        var events = new ServiceCollection();
        events.AddBff(configuration).AddEndpoint<IEventsEndpoint, SilentEventsEndpoint>();
        Assert.Equal(typeof(Bff.Events.Internal.DefaultEventsEndpoint), Assert.Single(plain, d => d.ServiceType == typeof(IEventsEndpoint)).ImplementationType);
        Assert.Equal(typeof(SilentEventsEndpoint), Assert.Single(events, d => d.ServiceType == typeof(IEventsEndpoint)).ImplementationType);
    }

    private sealed class SilentEventsEndpoint : IEventsEndpoint
    {
        public Task ProcessRequestAsync(HttpContext context) => Task.CompletedTask;
    }

    private sealed class GreetingUserEndpoint : IUserEndpoint
    {
        public Task ProcessRequestAsync(HttpContext context) =>
            context.Response.WriteAsJsonAsync(new { greeting = "hello " + context.User.FindFirst("preferred_username")?.Value });
    }
}
