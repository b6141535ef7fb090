using Bff.Logout;
using Bff.Logout.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Logout;

/// <summary>
/// The logout-token rules of OpenID Connect Back-Channel Logout 1.0, one at a time, with tokens signed in
/// the test (the provider's configuration is a static one: no provider is needed to check these rules).
/// </summary>
public sealed class LogoutTokenValidatorTests : IDisposable
{
    private const string Issuer = "https://idp.example/realms/bff";
    private readonly BffTestClock clock = new();
    private readonly RsaSecurityKey idpKey = LogoutTokens.NewKey("idp-key");
    private readonly ServiceProvider services;
    private readonly LogoutTokens tokens;

    public LogoutTokenValidatorTests()
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(idpKey);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddOptions();
        collection.Configure<OpenIdConnectOptions>(BffAuthenticationDefaults.OpenIdConnectScheme, o =>
        {
            o.ClientId = "bff";
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
        collection.Configure<BackchannelLogoutOptions>(o =>
        {
            o.MaxTokenAge = TimeSpan.FromMinutes(2);
            o.ClockSkew = TimeSpan.FromSeconds(10);
        });
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton<ILogoutTokenReplayCache, InMemoryLogoutTokenReplayCache>();
        collection.AddSingleton<DefaultLogoutTokenValidator>();
        services = collection.BuildServiceProvider();
        tokens = new LogoutTokens(idpKey, Issuer, "bff", clock.GetUtcNow);
    }

    private DefaultLogoutTokenValidator Validator => services.GetRequiredService<DefaultLogoutTokenValidator>();

    public void Dispose() => services.Dispose();

    private async Task<string> RefusedAsync(string token)
    {
        var result = await Validator.ValidateAsync(token);
        Assert.False(result.Succeeded, "the token was accepted");
        Assert.False(result.Unavailable);
        return result.Error!;
    }

    [Fact]
    public async Task A_Keycloak_shaped_token_without_exp_is_accepted_with_its_sid_and_sub()
    {
        var result = await Validator.ValidateAsync(tokens.Valid("sid-7", "sub-7"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("sid-7", result.SessionId);
        Assert.Equal("sub-7", result.Subject);
    }

    [Fact]
    public async Task The_typ_logout_jwt_of_the_specification_is_accepted_too()
    {
        var result = await Validator.ValidateAsync(tokens.Sign(tokens.Claims(), type: "logout+jwt"));

        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task A_token_with_only_sub_or_only_sid_is_accepted()
    {
        var subOnly = await Validator.ValidateAsync(tokens.Valid(sid: null));
        var sidOnly = await Validator.ValidateAsync(tokens.Valid(sub: null));

        Assert.True(subOnly.Succeeded, subOnly.Error);
        Assert.Null(subOnly.SessionId);
        Assert.True(sidOnly.Succeeded, sidOnly.Error);
        Assert.Null(sidOnly.Subject);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var forged = tokens.Sign(tokens.Claims(), signingKey: LogoutTokens.NewKey("idp-key"));

        Assert.Contains("signature", await RefusedAsync(forged), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var claims = tokens.Claims();
        var unsigned = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor { Claims = claims, TokenType = "JWT" });

        await RefusedAsync(unsigned);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var claims = tokens.Claims();
        claims["aud"] = "another-client";

        Assert.Contains("audience", await RefusedAsync(tokens.Sign(claims)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var claims = tokens.Claims();
        claims["iss"] = "https://evil.example/realms/bff";

        Assert.Contains("issuer", await RefusedAsync(tokens.Sign(claims)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_the_back_channel_event_is_refused()
    {
        var missing = tokens.Claims();
        missing.Remove("events");
        var otherEvent = tokens.Claims();
        otherEvent["events"] = new Dictionary<string, object> { ["http://schemas.openid.net/event/other"] = new Dictionary<string, object>() };
        var notAnObject = tokens.Claims();
        notAnObject["events"] = new Dictionary<string, object> { [LogoutTokens.Event] = "yes" };

        Assert.Contains("event", await RefusedAsync(tokens.Sign(missing)), StringComparison.Ordinal);
        Assert.Contains("event", await RefusedAsync(tokens.Sign(otherEvent)), StringComparison.Ordinal);
        Assert.Contains("event", await RefusedAsync(tokens.Sign(notAnObject)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_with_a_nonce_is_refused()
    {
        var claims = tokens.Claims();
        claims["nonce"] = "n-0S6_WzA2Mj";

        Assert.Contains("nonce", await RefusedAsync(tokens.Sign(claims)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_with_neither_sid_nor_sub_is_refused()
    {
        Assert.Contains("neither sid nor sub", await RefusedAsync(tokens.Valid(sid: null, sub: null)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_older_than_the_maximum_age_is_refused_even_without_exp()
    {
        var old = tokens.Valid();
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(11));

        Assert.Contains("too old", await RefusedAsync(old), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_within_the_maximum_age_and_skew_is_accepted()
    {
        var token = tokens.Valid();
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(9));

        Assert.True((await Validator.ValidateAsync(token)).Succeeded);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_or_without_iat_is_refused()
    {
        var future = tokens.Claims();
        future["iat"] = clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        var noIat = tokens.Claims();
        noIat.Remove("iat");

        Assert.Contains("future", await RefusedAsync(tokens.Sign(future)), StringComparison.Ordinal);
        Assert.Contains("iat", await RefusedAsync(tokens.Sign(noIat)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_exp_is_refused_even_within_the_iat_age()
    {
        var claims = tokens.Claims();
        claims["exp"] = clock.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds();
        var token = tokens.Sign(claims);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Contains("expired", await RefusedAsync(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_jti_is_refused()
    {
        var token = tokens.Valid();

        Assert.True((await Validator.ValidateAsync(token)).Succeeded);
        Assert.Contains("replayed", await RefusedAsync(token), StringComparison.Ordinal);

        // Another token with the same jti (re-signed) is a replay too.
        var first = tokens.Claims();
        var second = new Dictionary<string, object>(first) { ["sid"] = "sid-other" };
        Assert.True((await Validator.ValidateAsync(tokens.Sign(first))).Succeeded);
        Assert.Contains("replayed", await RefusedAsync(tokens.Sign(second)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_jti_is_refused()
    {
        var claims = tokens.Claims();
        claims.Remove("jti");

        Assert.Contains("jti", await RefusedAsync(tokens.Sign(claims)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_typ_or_an_HS256_token_is_refused()
    {
        var idTokenTyped = tokens.Sign(tokens.Claims(), type: "at+jwt");
        var symmetric = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = tokens.Claims(),
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
        });

        Assert.Contains("typ", await RefusedAsync(idTokenTyped), StringComparison.Ordinal);
        await RefusedAsync(symmetric);
    }

    [Fact]
    public async Task Garbage_is_refused_without_echoing_it()
    {
        var error = await RefusedAsync("not-a-jwt");

        Assert.DoesNotContain("not-a-jwt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_replay_cache_refuses_new_tokens_instead_of_forgetting_fresh_ones()
    {
        var cache = new InMemoryLogoutTokenReplayCache(
            new StaticOptionsMonitor<BackchannelLogoutOptions>(new BackchannelLogoutOptions { ReplayCacheSize = 100 }), clock);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await cache.TryAddAsync($"id-{i}", clock.GetUtcNow().AddMinutes(1)));
        }

        Assert.False(await cache.TryAddAsync("id-new", clock.GetUtcNow().AddMinutes(1)));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await cache.TryAddAsync("id-new", clock.GetUtcNow().AddMinutes(1)));
        Assert.Equal(1, cache.Count);
    }
}

/// <summary>An options monitor with one fixed value.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : Microsoft.Extensions.Options.IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
