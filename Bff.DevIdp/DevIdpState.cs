using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using Bff.DevIdp.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace Bff.DevIdp;

/// <summary>
/// Everything the DevIdp remembers: realms, keys, SSO sessions, grants. It outlives one web host, so a test can
/// stop the server (an IdP outage) and start it again with the same keys, sessions and refresh tokens.
/// </summary>
internal sealed class DevIdpState : IDisposable
{
    private readonly RSA _rsa;
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new(StringComparer.Ordinal);
    private int _pushedAuthorizationRequests;
    private int _refreshTokenReuses;
    private int _heldRefreshes;
    private long _refreshDelayTicks;

    public DevIdpState(IReadOnlyList<DevIdpRealm> realms, TimeProvider timeProvider)
    {
        Realms = realms.ToDictionary(r => r.Name, StringComparer.Ordinal);
        TimeProvider = timeProvider;

        // Note: one RS256 key for every realm (Keycloak has one per realm); clients only see their realm's JWKS.
        _rsa = RSA.Create(2048);
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };

        // Authorization codes and refresh tokens are encrypted (JWE) with this key; access tokens are not.
        EncryptionKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        DataProtection = new EphemeralDataProtectionProvider();
    }

    public IReadOnlyDictionary<string, DevIdpRealm> Realms { get; }

    public TimeProvider TimeProvider { get; }

    public RsaSecurityKey SigningKey { get; }

    public SymmetricSecurityKey EncryptionKey { get; }

    /// <summary>Antiforgery tokens stay valid across a restart.</summary>
    public IDataProtectionProvider DataProtection { get; }

    public SessionStore Sessions { get; } = new();

    public GrantStore Grants { get; } = new();

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    public DevIdpRealm? FindRealm(string? name) =>
        name is not null && Realms.TryGetValue(name, out var realm) ? realm : null;

    public void CountTokenRequest(string? grantType) =>
        _tokenRequests.AddOrUpdate(grantType ?? string.Empty, 1, (_, count) => count + 1);

    public int TokenRequests(string grantType) => _tokenRequests.GetValueOrDefault(grantType);

    /// <summary>The parameters of the newest authorization request (after a pushed one is restored).</summary>
    public IReadOnlyDictionary<string, string> LastAuthorizationRequest { get; set; } = new Dictionary<string, string>();

    public void CountPushedAuthorizationRequest() => Interlocked.Increment(ref _pushedAuthorizationRequests);

    public int PushedAuthorizationRequests => Volatile.Read(ref _pushedAuthorizationRequests);

    /// <summary>A rotated-out refresh token was presented again (Keycloak's "reuse" under revokeRefreshToken).</summary>
    public void CountRefreshTokenReuse() => Interlocked.Increment(ref _refreshTokenReuses);

    public int RefreshTokenReuses => Volatile.Read(ref _refreshTokenReuses);

    /// <summary>A test hook: how long a refresh_token grant waits before it is looked at (zero: not at all).</summary>
    public TimeSpan RefreshDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _refreshDelayTicks));
        set => Interlocked.Exchange(ref _refreshDelayTicks, value.Ticks);
    }

    public void CountHeldRefresh() => Interlocked.Increment(ref _heldRefreshes);

    public int HeldRefreshes => Volatile.Read(ref _heldRefreshes);

    public void Dispose() => _rsa.Dispose();
}
