using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// The request's cookie session, set in the request's features once the BFF cookie scheme has accepted
/// it, so that what needs the session key later in the request (the token service, the session
/// endpoints) reads it here instead of authenticating the cookie scheme again.
/// </summary>
/// <remarks>
/// Absent when the cookie did not authenticate, and also when an app's own cookie events keep the
/// hook below from running: readers then authenticate the cookie scheme as before, so its absence
/// costs time, never correctness. Never present on a request whose cookie was not accepted.
/// </remarks>
/// <param name="sessionKey">The session key (a credential: never logged or shown).</param>
internal sealed class BffSessionFeature(string sessionKey)
{
    public string SessionKey { get; } = sessionKey;

    /// <summary>The request's session key when the cookie scheme has accepted its session, else <see langword="null"/>.</summary>
    public static string? KeyOf(HttpContext context) => context.Features.Get<BffSessionFeature>()?.SessionKey;

    /// <summary>
    /// The session key <paramref name="scheme"/>'s handler found for the request, for when the feature
    /// is absent. Asked of the handler itself, which keeps its result per request (so the store is not
    /// read again), and not of the authentication service: only the ticket's properties are read, so
    /// its copy of the ticket and its claims transformation are not needed.
    /// </summary>
    public static async ValueTask<string?> KeyFromHandlerAsync(HttpContext context, string scheme)
    {
        var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        var result = await handlers.GetHandlerAsync(context, scheme).ConfigureAwait(false) is { } handler
            ? await handler.AuthenticateAsync().ConfigureAwait(false)
            : null;
        return result is { Succeeded: true } ? KeyIn(result.Properties) : null;
    }

    /// <summary>The session key a cookie ticket's properties carry, or <see langword="null"/>.</summary>
    public static string? KeyIn(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(BffSessionProperties.SessionKey, out var key) && !string.IsNullOrEmpty(key) ? key : null;
}

/// <summary>
/// Sets <see cref="BffSessionFeature"/> from the cookie scheme's <c>OnValidatePrincipal</c>, the last
/// step before the cookie handler succeeds: by then it has found the session in the store (a deleted
/// session has no ticket) and checked its expiry. Wraps whatever handler the app configured, after it,
/// so an app's own check that rejects the principal leaves the feature unset.
/// </summary>
/// <remarks>
/// A post-configure step, so that it wraps the app's <c>OnValidatePrincipal</c> whatever order the app
/// configured the cookie in. The cookie handler validates once per request and keeps its result, so the
/// feature is set once.
/// </remarks>
internal sealed class ConfigureSessionFeature : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name != BffAuthenticationDefaults.CookieScheme)
        {
            return;
        }

        var inner = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = context =>
        {
            var validated = inner(context);
            if (!validated.IsCompletedSuccessfully)
            {
                return AcceptAfterAsync(validated, context);
            }

            Accept(context);
            return Task.CompletedTask;
        };
    }

    private static async Task AcceptAfterAsync(Task validated, CookieValidatePrincipalContext context)
    {
        await validated.ConfigureAwait(false);
        Accept(context);
    }

    private static void Accept(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not null && BffSessionFeature.KeyIn(context.Properties) is { } key)
        {
            context.HttpContext.Features.Set(new BffSessionFeature(key));
        }
    }
}
