using Microsoft.Playwright;

namespace Bff.E2E.TestInfra;

/// <summary>
/// Every page the browser navigated to in one tab (top-level document requests, redirects included),
/// in order: proof of what the person was shown, or not, on the way through the identity provider.
/// </summary>
public sealed class NavigationLog
{
    private readonly List<Uri> _urls = [];

    /// <summary>Starts recording the navigations of <paramref name="page"/>.</summary>
    public static NavigationLog Record(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var log = new NavigationLog();
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && request.Frame == page.MainFrame)
            {
                lock (log._urls)
                {
                    log._urls.Add(new Uri(request.Url));
                }
            }
        };
        return log;
    }

    /// <summary>The navigations so far.</summary>
    public IReadOnlyList<Uri> Urls
    {
        get
        {
            lock (_urls)
            {
                return [.. _urls];
            }
        }
    }

    /// <summary>The navigations to the realm's authorization endpoint (<c>{authority}/protocol/openid-connect/auth</c>).</summary>
    public IReadOnlyList<Uri> AuthorizationRequests(Uri authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var endpoint = authority.AbsoluteUri.TrimEnd('/') + "/protocol/openid-connect/auth";
        return [.. Urls.Where(u => u.GetLeftPart(UriPartial.Path) == endpoint)];
    }

    /// <summary>Forgets what was recorded, so later assertions see only what comes next.</summary>
    public void Clear()
    {
        lock (_urls)
        {
            _urls.Clear();
        }
    }
}
