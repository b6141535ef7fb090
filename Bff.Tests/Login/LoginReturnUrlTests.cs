using Bff.Login.Internal;

namespace Bff.Tests.Login;

public class LoginReturnUrlTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/Profile", "/Profile")]
    [InlineData("/app/notes?id=3#top", "/app/notes?id=3#top")]
    [InlineData("/a%20b", "/a%20b")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    public void Local_paths_are_accepted(string? returnUrl, string expected)
    {
        Assert.True(LoginReturnUrl.TryGetLocal(returnUrl, out var local));
        Assert.Equal(expected, local);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("http:/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/%2Fevil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/\r\nLocation: https://evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("~/x")]
    [InlineData("evil.example")]
    [InlineData("/ok/../\\evil")]
    public void Open_redirects_are_refused(string returnUrl)
    {
        Assert.False(LoginReturnUrl.TryGetLocal(returnUrl, out _));
    }
}
