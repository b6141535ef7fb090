using System.Globalization;
using Bff.DevIdp.Admin;
using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Login;
using Bff.DevIdp.Logout;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Bff.DevIdp;

/// <summary>Builds the DevIdp web app; used by <see cref="Program"/> and by <see cref="DevIdpServer"/>.</summary>
internal static class DevIdpApplication
{
    public const string RealmsPathKey = "DevIdp:RealmsPath";
    public const string AccessTokenLifespanKey = "DevIdp:AccessTokenLifespan";

    /// <summary>
    /// Pushed authorization requests (RFC 9126) are served and advertised, as Keycloak does, unless
    /// this is <c>false</c> (to test a client against a provider without them).
    /// </summary>
    public const string PushedAuthorizationKey = "DevIdp:PushedAuthorization";
    public const string AntiforgeryFieldName = "__RequestVerificationToken";

    /// <summary>Loads the realms named by configuration into a new state (start-up fails on a bad realm file).</summary>
    public static DevIdpState CreateState(IConfiguration configuration, TimeProvider timeProvider)
    {
        var path = configuration[RealmsPathKey] is { Length: > 0 } configured ? configured : FindDefaultRealmsPath();
        var realms = RealmLoader.Load(path);
        if (configuration[AccessTokenLifespanKey] is { Length: > 0 } lifespan)
        {
            if (!int.TryParse(lifespan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new DevIdpConfigurationException($"{AccessTokenLifespanKey} must be a positive number of seconds, not '{lifespan}'.");
            }

            foreach (var realm in realms)
            {
                realm.AccessTokenLifespan = TimeSpan.FromSeconds(seconds);

                // The override is for every token, so a client's own access.token.lifespan yields to it too.
                foreach (var client in realm.Clients.Values)
                {
                    client.AccessTokenLifespan = null;
                }
            }
        }

        return new DevIdpState(realms, timeProvider);
    }

    /// <summary>The repository's realm/ folder: the first folder up from the app holding realm/bff-realm.json.</summary>
    public static string FindDefaultRealmsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "realm");
            if (File.Exists(Path.Combine(candidate, "bff-realm.json")))
            {
                return candidate;
            }
        }

        var cwd = Path.Combine(Directory.GetCurrentDirectory(), "realm");
        return Directory.Exists(cwd)
            ? cwd
            : throw new DevIdpConfigurationException(
                $"No realm/bff-realm.json above {AppContext.BaseDirectory}; set {RealmsPathKey} to the folder of the realm files.");
    }

    public static WebApplication Build(WebApplicationBuilder builder, DevIdpState state)
    {
        var services = builder.Services;
        services.AddSingleton(state);

        // Antiforgery tokens stay valid across a restart of the in-process server (ephemeral keys in the state).
        services.AddSingleton<IDataProtectionProvider>(state.DataProtection);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "DEVIDP_ANTIFORGERY";
            o.FormFieldName = AntiforgeryFieldName;
        });
        services.AddHttpClient(BackchannelLogoutSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<BackchannelLogoutSender>();
        services.AddSingleton<SessionTerminator>();
        services.AddDevIdpOpenIddict(state, pushedAuthorization: !string.Equals(builder.Configuration[PushedAuthorizationKey], "false", StringComparison.OrdinalIgnoreCase));

        var app = builder.Build();
        foreach (var realm in state.Realms.Values)
        {
            DevIdpLog.RealmLoaded(app.Logger, realm.Name, realm.SourceFile);
            foreach (var warning in realm.Warnings)
            {
                DevIdpLog.RealmWarning(app.Logger, realm.Name, realm.SourceFile, warning);
            }
        }

        app.UseRealmPathBase(state);
        app.UseRouting();
        app.UseAuthentication();

        app.MapGet("/", () => Results.Text("Bff.DevIdp: a Keycloak-compatible development identity provider. Realms: "
            + string.Join(", ", state.Realms.Keys)));
        app.MapMethods(OpenIddictSetup.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.HandleAsync);
        app.MapPost(OpenIddictSetup.TokenPath, TokenEndpoint.HandleAsync);
        Delegate userInfo = UserInfoEndpoint.HandleAsync; // as a Delegate, so the IResult is written
        app.MapMethods(OpenIddictSetup.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], userInfo);
        app.MapMethods(OpenIddictSetup.LogoutPath, [HttpMethods.Get, HttpMethods.Post], EndSessionEndpoint.HandleAsync);
        app.MapAdminEndpoints();
        return app;
    }
}
