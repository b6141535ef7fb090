using System.Collections.Concurrent;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// What OpenIddict's degraded mode does not track: which authorization codes were redeemed and which refresh
/// token of a grant is current. A grant ("family") starts with one authorization (a code or a password grant);
/// every refresh token of it carries the family id and its own id.
/// </summary>
internal sealed class GrantStore
{
    private readonly ConcurrentDictionary<string, byte> _redeemedCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshFamily> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAccessTokens = new(StringComparer.Ordinal);

    /// <summary>
    /// Redeems a code once. A second redemption revokes the tokens issued from the first one (RFC 6749 4.1.2:
    /// the code may have been stolen).
    /// </summary>
    public bool TryRedeemCode(string familyId)
    {
        if (_redeemedCodes.TryAdd(familyId, 0))
        {
            return true;
        }

        RevokeFamily(familyId);
        return false;
    }

    /// <summary>Records the refresh token just issued as the current one of its grant.</summary>
    public void Issued(string familyId, string? sessionId, string clientId, string refreshTokenId)
    {
        var family = _families.GetOrAdd(familyId, id => new RefreshFamily(id, sessionId, clientId));
        lock (family)
        {
            if (!family.Revoked)
            {
                family.CurrentTokenId = refreshTokenId;
            }
        }
    }

    /// <summary>
    /// Checks a refresh token. With <paramref name="consume"/> (a refresh_token grant under rotation) the token
    /// is used up atomically, so two concurrent uses of one token cannot both succeed.
    /// </summary>
    public bool CheckRefreshToken(string familyId, string refreshTokenId, bool rotation, bool consume)
    {
        if (!_families.TryGetValue(familyId, out var family))
        {
            return false;
        }

        lock (family)
        {
            if (family.Revoked)
            {
                return false;
            }

            if (!rotation)
            {
                return true;
            }

            if (!string.Equals(family.CurrentTokenId, refreshTokenId, StringComparison.Ordinal))
            {
                return false;
            }

            if (consume)
            {
                family.CurrentTokenId = null;
            }

            return true;
        }
    }

    public void RevokeFamily(string familyId)
    {
        if (_families.TryGetValue(familyId, out var family))
        {
            lock (family)
            {
                family.Revoked = true;
            }
        }
        else
        {
            // Revoked before its first refresh token was issued (a replayed code racing the first redemption).
            _families.TryAdd(familyId, new RefreshFamily(familyId, null, string.Empty) { Revoked = true });
        }
    }

    public void RevokeSession(string sessionId)
    {
        foreach (var family in _families.Values.Where(f => f.SessionId == sessionId))
        {
            RevokeFamily(family.Id);
        }
    }

    public void RevokeAccessToken(string tokenId, DateTimeOffset expires) => _revokedAccessTokens[tokenId] = expires;

    public bool IsAccessTokenRevoked(string tokenId) => _revokedAccessTokens.ContainsKey(tokenId);

    public bool IsFamilyRevoked(string familyId) =>
        _families.TryGetValue(familyId, out var family) && family.Revoked;

    private sealed class RefreshFamily(string id, string? sessionId, string clientId)
    {
        public string Id { get; } = id;

        public string? SessionId { get; } = sessionId;

        public string ClientId { get; } = clientId;

        public string? CurrentTokenId { get; set; }

        public bool Revoked { get; set; }
    }
}
