using Microsoft.IdentityModel.JsonWebTokens;

namespace Bff.Tokens.Internal;

/// <summary>The expiry arithmetic of access tokens, kept pure so it can be tested directly.</summary>
internal static class TokenExpiry
{
    /// <summary>Whether a token expiring at <paramref name="expiresAt"/> must be refreshed now.</summary>
    public static bool NeedsRefresh(DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan refreshBeforeExpiry)
    {
        if (expiresAt == DateTimeOffset.MaxValue)
        {
            return false;
        }

        // Compare by subtraction from expiry so DateTimeOffset.MaxValue-like values cannot overflow.
        return expiresAt - refreshBeforeExpiry <= now;
    }

    /// <summary>Whether the token has expired outright.</summary>
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => expiresAt <= now;

    /// <summary>
    /// When a freshly issued token expires: from <c>expires_in</c>; failing that from the token's
    /// own <c>exp</c> when it is a JWT; failing that unknown (<see cref="DateTimeOffset.MaxValue"/>),
    /// and then a 401 from the API, not the clock, triggers the next refresh.
    /// </summary>
    public static DateTimeOffset ComputeExpiry(string accessToken, int expiresIn, DateTimeOffset now)
    {
        if (expiresIn > 0)
        {
            return now.AddSeconds(expiresIn);
        }

        // Note: the token came straight from the token endpoint over the back channel, so reading
        // its exp without validating its signature is only used as a refresh hint, never for trust.
        var handler = new JsonWebTokenHandler();
        if (handler.CanReadToken(accessToken))
        {
            var jwt = handler.ReadJsonWebToken(accessToken);
            if (jwt.TryGetPayloadValue<long>("exp", out var exp) && exp > 0)
            {
                return DateTimeOffset.FromUnixTimeSeconds(exp);
            }
        }

        return DateTimeOffset.MaxValue;
    }
}
