using System.Net;
using System.Text;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>
/// Every route the BFF maps (read from its own endpoint data source, so a new endpoint is swept
/// without editing this test), plus the authentication handlers' callback paths, gets malformed
/// bodies, forms, queries and headers, anonymously and signed in: none may answer 500.
/// </summary>
public sealed class MalformedInputSweepTests : IAsyncLifetime
{
    private static readonly string[] HandlerPaths = ["/signin-oidc", "/signout-callback-oidc", "/signout-oidc", "/bff/backchannel"];

    private TokenTestRig rig = null!;

    // The sweep sends hundreds of requests to the routes that start a sign-in (login, account actions),
    // which share one per-address budget; with it on, alice's own sign-in after the sweep would be a 429.
    // The limiter has its own tests.
    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        bffSettings: new Dictionary<string, string?> { ["Bff:Login:RateLimit:PermitLimit"] = "0" });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    /// <summary>Concrete paths for every mapped route, each with the methods it answers.</summary>
    private List<(string Path, string[] Methods)> Routes()
    {
        var routes = new List<(string, string[])>();
        foreach (var endpoint in rig.Bff.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() is { Length: > 0 } declared
                ? declared
                : [HttpMethods.Get, HttpMethods.Post];
            foreach (var value in new[] { "x", "%00", "..%2F..%2Fetc", "00000000-0000-0000-0000-000000000000", "99999999999999999999", new string('z', 600) })
            {
                routes.Add((Fill(endpoint.RoutePattern, value), methods));
            }
        }

        foreach (var path in HandlerPaths)
        {
            routes.Add((path, [HttpMethods.Get, HttpMethods.Post]));
        }

        // The app's own routes are there (a guard against sweeping an empty list).
        Assert.Contains(routes, r => r.Item1 == "/bff/logout");
        Assert.Contains(routes, r => r.Item1.StartsWith("/api/notes/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Item1 == "/Profile");
        return [.. routes.DistinctBy(r => r.Item1 + string.Join(',', r.Item2))];
    }

    private static string Fill(RoutePattern pattern, string value)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart => value,
                    RoutePatternSeparatorPart separator => separator.Content,
                    _ => "",
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    /// <summary>The malformed variants: a name for the failure message and a request factory.</summary>
    private static IEnumerable<(string Name, Func<string, string, HttpRequestMessage> Create)> Variants()
    {
        HttpRequestMessage Request(string method, string path, string query = "") =>
            new(new HttpMethod(method), path + query);

        HttpContent Raw(string body, string contentType)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }

        yield return ("broken multipart body", (m, p) =>
        {
            var r = Request(m, p);
            r.Content = Raw("--x\r\nContent-Disposition: form-data; name=\"returnUrl\"\r\n\r\n/\r\n--x--garbage-without-end", "multipart/form-data; boundary=x");
            return r;
        });
        yield return ("multipart without boundary", (m, p) => { var r = Request(m, p); r.Content = Raw("abc", "multipart/form-data"); return r; });
        yield return ("malformed urlencoded form", (m, p) => { var r = Request(m, p); r.Content = Raw("%%%=&&=%zz&returnUrl=%E0%A4%A&sid", "application/x-www-form-urlencoded"); return r; });
        yield return ("form with unknown charset", (m, p) => { var r = Request(m, p); r.Content = Raw("returnUrl=%2F", "application/x-www-form-urlencoded; charset=bogus-8"); return r; });
        yield return ("huge form field count", (m, p) =>
        {
            var r = Request(m, p);
            r.Content = Raw(string.Join('&', Enumerable.Range(0, 5000).Select(i => $"f{i}=v")), "application/x-www-form-urlencoded");
            return r;
        });
        yield return ("malformed JSON", (m, p) => { var r = Request(m, p); r.Content = Raw("{\"title\": [1, {", "application/json"); return r; });
        yield return ("JSON of the wrong shape", (m, p) => { var r = Request(m, p); r.Content = Raw("[\"a\", 1, null]", "application/json"); return r; });
        yield return ("JSON with a bad charset", (m, p) => { var r = Request(m, p); r.Content = Raw("{}", "application/json; charset=nope"); return r; });
        yield return ("garbage content type", (m, p) => { var r = Request(m, p); r.Content = Raw("x", "text/;;;=="); return r; });
        yield return ("malformed query", (m, p) => Request(m, p, "?returnUrl=%ZZ&sid=%00&sid=2&returnUrl=/a&error=%FF&id=&=&&"));
        yield return ("repeated and over-long query values", (m, p) => Request(m, p, "?returnUrl=/" + new string('a', 4000) + "&returnUrl=/b&sid=" + new string('s', 4000)));
        yield return ("malformed headers", (m, p) =>
        {
            var r = Request(m, p);
            r.Headers.TryAddWithoutValidation("Cookie", "__Host-bff=%%%; bff.af=;;; =x; .AspNetCore.Correlation.abc=%ZZ; .AspNetCore.OpenIdConnect.Nonce.x=");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer a.b.c");
            r.Headers.TryAddWithoutValidation("Accept", "text/html;q=abc, */;;");
            r.Headers.TryAddWithoutValidation("X-CSRF", "1");
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "not-an-address, ::::1");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "gopher");
            r.Headers.TryAddWithoutValidation("Origin", "null");
            r.Headers.TryAddWithoutValidation("If-Modified-Since", "yesterday");
            r.Headers.TryAddWithoutValidation("Range", "bytes=9-1");
            return r;
        });
        yield return ("empty bearer and basic auth", (m, p) =>
        {
            var r = Request(m, p);
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
            return r;
        });
        yield return ("an ID-token-shaped bearer", (m, p) =>
        {
            var r = Request(m, p);
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
            return r;
        });
    }

    private async Task SweepAsync(BrowserClient browser, string who, List<string> failures)
    {
        foreach (var (path, methods) in Routes())
        {
            foreach (var method in methods)
            {
                foreach (var (name, create) in Variants())
                {
                    using var request = create(method, path);
                    using var response = await browser.SendAsync(request);
                    var status = (int)response.StatusCode;
                    if (status == 500 || status is > 504)
                    {
                        failures.Add($"{who} {method} {path} ({name}): {status}");
                    }

                    var body = await response.Content.ReadAsStringAsync();
                    if (body.Contains("__Host-bff=", StringComparison.Ordinal) || body.Contains("bff.af=", StringComparison.Ordinal))
                    {
                        failures.Add($"{who} {method} {path} ({name}): the answer echoes the request's cookies");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task No_route_answers_500_to_malformed_input_anonymous_or_signed_in()
    {
        var failures = new List<string>();
        using (var anonymous = new BrowserClient(rig.Bff.BaseAddress))
        {
            await SweepAsync(anonymous, "anonymous", failures);
        }

        using var alice = await rig.SignInAsync("alice");
        await SweepAsync(alice, "alice", failures);

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(60)));
        using var api = await rig.Bff.CreateRawClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_logout_post_with_a_broken_multipart_body_is_400()
    {
        using var raw = rig.Bff.CreateRawClient();
        using var content = new ByteArrayContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");

        using var response = await raw.PostAsync(new Uri("/bff/logout", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
