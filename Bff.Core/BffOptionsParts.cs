using Bff.Health.Internal;
using Bff.Login;
using Bff.Login.Internal;
using Bff.Logout.Internal;
using Bff.Proxy.Internal;
using Bff.Security.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff;

/// <summary>
/// Each feature reads an options type of its own (<c>IOptionsMonitor&lt;BffSessionOptions&gt;</c>, ...);
/// <see cref="BffOptions"/>, bound once from the <c>Bff</c> section, composes them. These register
/// every part as its feature's options, read from that one bound instance, so a setting keeps one
/// source and reloads as it did, and no feature names the root.
/// </summary>
internal static class BffOptionsParts
{
    public static void AddBffOptionsParts(this IServiceCollection services)
    {
        // A part given a validator is checked by it when BffOptions is validated, at start-up and on
        // every reload: each feature checks its own settings, beside its options, and each setting
        // belongs to one part's checks, so it is checked once.
        services.AddPart<BffSessionOptions, BffSessionOptionsValidator>(options => options.Session);
        services.AddPart(options => options.Groups);
        services.AddPart(options => new SessionSettings(options.Session, options.LoginPath, options.AccessDeniedPath, options.EffectiveApiPathPrefixes));
        services.AddPart(options => new UserSettings(options.Users, options.LogoutPath));
        services.AddPart(options => new LoginSettings(options.Login, options.Users, options.Claims, options.LoginPath, options.ErrorPath, options.EffectiveApiPathPrefixes));
        services.AddPart<LogoutSettings, LogoutSettingsValidator>(options => new LogoutSettings(options.LogoutMode, options.EffectiveApiPathPrefixes));
        services.AddPart<SecuritySettings, SecuritySettingsValidator>(options => new SecuritySettings(options.PublicOrigin, options.ForwardedHeaders, options.Users, options.EffectiveApiPathPrefixes));
        services.AddPart(options => new BffRemoteApis(options.RemoteApis));
        services.AddPart(options => new StartupCheckSettings(options.PublicOrigin, options.LogoutMode));

        // Checked, but read by their features inside LoginSettings and UserSettings.
        services.AddPartChecks<BffLoginOptions, BffLoginOptionsValidator>(options => options.Login);
        services.AddPartChecks<BffUserOptions, BffUserOptionsValidator>(options => options.Users);

        // Bff:RemoteApis: the Proxy feature registers its checks (RemoteApiOptionsValidator) itself.
        services.AddSingleton<IValidateOptions<BffOptions>>(provider =>
            new PartValidator<BffRemoteApis>(provider.GetServices<IValidateOptions<BffRemoteApis>>(), options => new BffRemoteApis(options.RemoteApis)));
    }

    private static void AddPart<T>(this IServiceCollection services, Func<BffOptions, T> select)
        where T : class
    {
        services.AddSingleton<IOptionsMonitor<T>>(provider => new BffOptionsPart<T>(provider.GetRequiredService<IOptionsMonitor<BffOptions>>(), select));
        services.AddSingleton<IOptions<T>>(provider => (BffOptionsPart<T>)provider.GetRequiredService<IOptionsMonitor<T>>());
    }

    private static void AddPart<T, TValidator>(this IServiceCollection services, Func<BffOptions, T> select)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.AddPart(select);
        services.AddPartChecks<T, TValidator>(select);
    }

    private static void AddPartChecks<T, TValidator>(this IServiceCollection services, Func<BffOptions, T> select)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        services.AddSingleton<IValidateOptions<BffOptions>>(provider => new PartValidator<T>(provider.GetServices<IValidateOptions<T>>(), select));
    }

    private sealed class PartValidator<T>(IEnumerable<IValidateOptions<T>> validators, Func<BffOptions, T> select) : IValidateOptions<BffOptions>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, BffOptions options)
        {
            var part = select(options);
            var failures = validators.Select(v => v.Validate(name, part)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>
/// One part of <see cref="BffOptions"/> as options of its own: the part of the current (or named)
/// BffOptions, made once per bound instance, and told of every reload of the <c>Bff</c> section.
/// </summary>
internal sealed class BffOptionsPart<T>(IOptionsMonitor<BffOptions> bff, Func<BffOptions, T> select) : IOptionsMonitor<T>, IOptions<T>
    where T : class
{
    private volatile Cached? _last;

    public T CurrentValue => Get(Options.DefaultName);

    public T Value => CurrentValue;

    public T Get(string? name)
    {
        var from = bff.Get(name);
        if (_last is { } last && ReferenceEquals(last.From, from))
        {
            return last.Part;
        }

        var part = select(from);
        _last = new Cached(from, part);
        return part;
    }

    public IDisposable? OnChange(Action<T, string?> listener) => bff.OnChange((options, name) => listener(select(options), name));

    private sealed record Cached(BffOptions From, T Part);
}
