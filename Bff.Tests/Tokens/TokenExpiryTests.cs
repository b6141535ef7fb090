using Bff.Tokens.Internal;

namespace Bff.Tests.Tokens;

public class TokenExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(-10, true)]
    [InlineData(0, true)]
    [InlineData(59, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    [InlineData(3600, false)]
    public void A_token_is_refreshed_when_it_expires_within_the_skew(int secondsLeft, bool refresh) =>
        Assert.Equal(refresh, TokenExpiry.NeedsRefresh(Now.AddSeconds(secondsLeft), Now, Skew));

    [Fact]
    public void A_token_of_unknown_expiry_is_not_refreshed_by_the_clock() =>
        Assert.False(TokenExpiry.NeedsRefresh(DateTimeOffset.MaxValue, Now, Skew));

    [Fact]
    public void Expiry_comes_from_expires_in_first() =>
        Assert.Equal(Now.AddSeconds(300), TokenExpiry.ComputeExpiry("opaque", 300, Now));

    [Fact]
    public void Without_expires_in_a_JWT_gives_its_exp()
    {
        var exp = Now.AddMinutes(7).ToUnixTimeSeconds();
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode($"{{\"exp\":{exp}}}");
        var jwt = $"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln";

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp), TokenExpiry.ComputeExpiry(jwt, 0, Now));
    }

    [Fact]
    public void Without_expires_in_an_opaque_token_has_unknown_expiry() =>
        Assert.Equal(DateTimeOffset.MaxValue, TokenExpiry.ComputeExpiry("opaque-token", 0, Now));
}
