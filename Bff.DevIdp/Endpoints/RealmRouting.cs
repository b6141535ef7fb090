using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Endpoints;

/// <summary>
/// Serves every realm at Keycloak's <c>/realms/{realm}/...</c> URLs with one OpenIddict server: the realm prefix
/// moves into <see cref="HttpRequest.PathBase"/>, so OpenIddict's endpoint URIs (relative to the base URI) and
/// its issuer (the base URI) are per realm.
/// </summary>
internal static class RealmRouting
{
    private const string RealmItem = "Bff.DevIdp.Realm";

    public static IApplicationBuilder UseRealmPathBase(this IApplicationBuilder app, DevIdpState state) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/realms", out var rest) || !rest.HasValue)
            {
                // OpenIddict would also answer its endpoints at the host root; only /realms/{realm}/... are real.
                if (context.Request.Path == "/" || context.Request.Path.StartsWithSegments("/admin"))
                {
                    await next(context);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }

                return;
            }

            var parts = rest.Value!.Split('/', 3);
            var realm = state.FindRealm(parts.Length > 1 ? parts[1] : null);
            if (realm is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsJsonAsync(new { error = "Realm does not exist" });
                return;
            }

            var (pathBase, path) = (context.Request.PathBase, context.Request.Path);
            context.Items[RealmItem] = realm;
            context.Request.PathBase = pathBase.Add("/realms/" + realm.Name);
            context.Request.Path = "/" + (parts.Length > 2 ? parts[2] : string.Empty);
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.PathBase = pathBase;
                context.Request.Path = path;
            }
        });

    /// <summary>The realm of the current request (set for every path under <c>/realms/{realm}</c>).</summary>
    public static DevIdpRealm? FindRealm(this HttpContext context) =>
        context.Items.TryGetValue(RealmItem, out var realm) ? realm as DevIdpRealm : null;

    public static DevIdpRealm GetRealm(this HttpContext context) =>
        context.FindRealm() ?? throw new InvalidOperationException("The request is not under /realms/{realm}.");

    /// <summary>The realm's issuer, <c>{base}/realms/{realm}</c> without a trailing slash, as Keycloak writes it.</summary>
    public static string Issuer(this HttpRequest request) =>
        $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
}
