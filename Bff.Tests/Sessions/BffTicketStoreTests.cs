using System.Security.Claims;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Sessions;

public sealed class BffTicketStoreTests : IDisposable
{
    private readonly BffTempFolder _folder = new();
    private readonly BffTestClock _clock = new();
    private readonly IHost _host;

    public BffTicketStoreTests() =>
        _host = BffServices.CreateHost(_folder, configure: services => services.TryAddSingleton<TimeProvider>(_clock));

    private ITicketStore TicketStore => _host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
        .Get(Bff.BffAuthenticationDefaults.CookieScheme).SessionStore!;

    private IInternalSessionStore Sessions => _host.Services.GetRequiredService<IInternalSessionStore>();

    public void Dispose()
    {
        _host.Dispose();
        _folder.Dispose();
    }

    private AuthenticationTicket LoginTicket()
    {
        var identity = new ClaimsIdentity(
            [new Claim("sub", "alice-id", ClaimValueTypes.String, "https://idp"), new Claim("sid", "kc-sid"), new Claim("preferred_username", "alice")],
            "oidc", "preferred_username", "role");
        var properties = new AuthenticationProperties { ExpiresUtc = _clock.GetUtcNow().AddMinutes(30) };
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = "AT" },
            new AuthenticationToken { Name = "refresh_token", Value = "RT" },
            new AuthenticationToken { Name = "id_token", Value = "IDT" },
            new AuthenticationToken { Name = "token_type", Value = "Bearer" },
            new AuthenticationToken { Name = "expires_at", Value = _clock.GetUtcNow().AddMinutes(5).ToString("o") },
        ]);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, "bff.cookie");
    }

    [Fact]
    public async Task Storing_a_login_moves_the_tokens_out_of_the_ticket_into_the_session()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());

        Assert.Matches("^[A-Za-z0-9_-]{43}$", key);
        var session = await Sessions.GetAsync(key);
        Assert.NotNull(session);
        Assert.Equal(new SessionTokens("AT", _clock.GetUtcNow().AddMinutes(5), "RT", "IDT", "Bearer"), session.Tokens);
        Assert.Equal("alice-id", session.Subject);
        Assert.Equal("kc-sid", session.SessionId);
        Assert.Equal("https://idp", session.Issuer);
        Assert.Equal(_clock.GetUtcNow().AddHours(10), session.Expires);

        var stored = TicketSerializer.Default.Deserialize(session.Ticket)!;
        Assert.Empty(stored.Properties.GetTokens());
        Assert.DoesNotContain(stored.Properties.Items, i => i.Value is "AT" or "RT" or "IDT");
    }

    [Fact]
    public async Task Retrieving_gives_the_principal_and_the_session_key()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());

        var ticket = await TicketStore.RetrieveAsync(key);

        Assert.Equal("alice", ticket?.Principal.Identity?.Name);
        Assert.Equal(key, ticket?.Properties.Items[BffSessionProperties.SessionKey]);
    }

    [Fact]
    public async Task Each_retrieval_gets_its_own_copy_and_a_renewal_is_seen_by_the_next()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());

        // One request changes its principal and properties: the next request must not see it.
        var first = await TicketStore.RetrieveAsync(key);
        ((ClaimsIdentity)first!.Principal.Identity!).AddClaim(new Claim("role", "admin"));
        first.Properties.Items["changed"] = "yes";
        var second = await TicketStore.RetrieveAsync(key);

        Assert.False(second!.Principal.IsInRole("admin"));
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.NotSame(first.Principal, second.Principal);

        // A renewed ticket (new bytes in the store) is what the next request gets.
        var renewed = LoginTicket();
        renewed.Properties.StoreTokens([]);
        ((ClaimsIdentity)renewed.Principal.Identity!).AddClaim(new Claim("renewed", "1"));
        await TicketStore.RenewAsync(key, renewed);
        Assert.Equal("1", (await TicketStore.RetrieveAsync(key))?.Principal.FindFirst("renewed")?.Value);
    }

    [Fact]
    public async Task Each_retrieval_has_identities_claims_and_properties_of_its_own()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());

        var first = (await TicketStore.RetrieveAsync(key))!;
        var second = (await TicketStore.RetrieveAsync(key))!;

        var firstIdentity = Assert.Single(first.Principal.Identities);
        var secondIdentity = Assert.Single(second.Principal.Identities);
        Assert.NotSame(firstIdentity, secondIdentity);
        Assert.Equal(("oidc", "preferred_username", "role"), (secondIdentity.AuthenticationType, secondIdentity.NameClaimType, secondIdentity.RoleClaimType));
        Assert.Equal(firstIdentity.Claims.Select(c => (c.Type, c.Value, c.Issuer)), secondIdentity.Claims.Select(c => (c.Type, c.Value, c.Issuer)));
        Assert.Empty(firstIdentity.Claims.Intersect(secondIdentity.Claims, ReferenceEqualityComparer.Instance));
        Assert.All(secondIdentity.Claims, claim => Assert.Same(secondIdentity, claim.Subject));
        Assert.NotSame(first.Properties.Items, second.Properties.Items);

        // What one request changes in its claims and properties, the next does not see.
        firstIdentity.FindFirst("sub")!.Properties["changed"] = "yes";
        firstIdentity.RemoveClaim(firstIdentity.FindFirst("preferred_username"));
        first.Properties.Items.Remove(BffSessionProperties.SessionKey);
        first.Properties.ExpiresUtc = _clock.GetUtcNow().AddDays(5);
        var third = (await TicketStore.RetrieveAsync(key))!;
        Assert.Empty(third.Principal.FindFirst("sub")!.Properties);
        Assert.Equal("alice", third.Principal.Identity!.Name);
        Assert.Equal(key, third.Properties.Items[BffSessionProperties.SessionKey]);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(30), third.Properties.ExpiresUtc);
    }

    [Fact]
    public async Task A_retrieved_identity_keeps_its_bootstrap_context_and_actor_and_its_claims_fill_a_list_sized_for_them()
    {
        var login = LoginTicket();
        var identity = (ClaimsIdentity)login.Principal.Identity!;
        identity.BootstrapContext = "bootstrap";
        identity.Actor = new ClaimsIdentity([new Claim("sub", "service-account")], "actor-auth");
        for (var i = 0; i < 27; i++)
        {
            identity.AddClaim(new Claim("role", $"role-{i}"));
        }

        var key = await TicketStore.StoreAsync(login);
        var first = (ClaimsIdentity)(await TicketStore.RetrieveAsync(key))!.Principal.Identity!;
        var second = (ClaimsIdentity)(await TicketStore.RetrieveAsync(key))!.Principal.Identity!;

        Assert.Equal("bootstrap", second.BootstrapContext as string);
        Assert.Equal(30, second.Claims.Count());
        Assert.True(new ClaimsPrincipal(second).IsInRole("role-26"));
        Assert.Equal("actor-auth", second.Actor?.AuthenticationType);
        Assert.Equal("service-account", second.Actor?.FindFirst("sub")?.Value);
        Assert.NotSame(first.Actor, second.Actor);
        Assert.Same(second.Actor, second.Actor!.Claims.Single().Subject);

        // The copy's list of claims is allocated once, at its final size, not grown claim by claim.
        var instanceClaims = typeof(ClaimsIdentity).GetField("_instanceClaims", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        var list = (List<Claim>)instanceClaims.GetValue(second)!;
        Assert.Equal(30, list.Capacity);
    }

    [Fact]
    public async Task A_ticket_without_an_expiry_or_past_the_session_s_expires_with_the_session()
    {
        var unbounded = LoginTicket();
        unbounded.Properties.ExpiresUtc = null;
        var key = await TicketStore.StoreAsync(unbounded);
        var session = (await Sessions.GetAsync(key))!;

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(session.Expires, (await TicketStore.RetrieveAsync(key))?.Properties.ExpiresUtc);
        }

        // A renewal whose sliding expiry lies past the absolute one is read back as the absolute one.
        var renewed = LoginTicket();
        renewed.Properties.StoreTokens([]);
        renewed.Properties.ExpiresUtc = session.Expires.AddHours(1);
        await TicketStore.RenewAsync(key, renewed);
        Assert.Equal(session.Expires, (await TicketStore.RetrieveAsync(key))?.Properties.ExpiresUtc);
    }

    [Fact]
    public async Task Each_login_gets_a_new_random_key()
    {
        var keys = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            keys.Add(await TicketStore.StoreAsync(LoginTicket()));
        }

        Assert.Equal(20, keys.Count);
    }

    [Fact]
    public async Task Unknown_removed_and_expired_keys_retrieve_nothing()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());
        var other = await TicketStore.StoreAsync(LoginTicket());

        Assert.Null(await TicketStore.RetrieveAsync("unknown"));
        Assert.Null(await TicketStore.RetrieveAsync(""));
        await TicketStore.RemoveAsync(key);
        Assert.Null(await TicketStore.RetrieveAsync(key));

        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await TicketStore.RetrieveAsync(other));
    }

    [Fact]
    public async Task Renewal_keeps_the_session_alive_and_its_tokens()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());
        var refreshed = new SessionTokens("AT2", _clock.GetUtcNow().AddMinutes(10), "RT2", "IDT");
        await Sessions.UpdateTokensAsync(key, refreshed);

        _clock.Advance(TimeSpan.FromMinutes(20));
        var ticket = (await TicketStore.RetrieveAsync(key))!;
        ticket.Properties.ExpiresUtc = _clock.GetUtcNow().AddMinutes(30);
        await TicketStore.RenewAsync(key, ticket);
        _clock.Advance(TimeSpan.FromMinutes(20));

        var session = await Sessions.GetAsync(key);
        Assert.Equal(refreshed, session?.Tokens);
        Assert.NotNull(await TicketStore.RetrieveAsync(key));
    }

    [Fact]
    public async Task A_sign_in_that_reuses_a_key_replaces_the_user_and_tokens_instead_of_dropping_them()
    {
        var key = await TicketStore.StoreAsync(LoginTicket());
        var bob = new ClaimsIdentity([new Claim("sub", "bob-id", ClaimValueTypes.String, "https://idp"), new Claim("sid", "bob-sid")], "oidc");
        var properties = new AuthenticationProperties();
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = "BOB-AT" }]);

        await TicketStore.RenewAsync(key, new AuthenticationTicket(new ClaimsPrincipal(bob), properties, "bff.cookie"));

        var session = await Sessions.GetAsync(key);
        Assert.Equal(("bob-id", "bob-sid", "BOB-AT"), (session?.Subject, session?.SessionId, session?.Tokens?.AccessToken));
        Assert.Empty(TicketSerializer.Default.Deserialize(session!.Ticket)!.Properties.GetTokens());
    }
}
