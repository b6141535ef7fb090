using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>
/// The rate limit of <c>/bff/login</c> (ASP.NET Core's rate limiter): a fixed window per client
/// address, set by <see cref="BffLoginRateLimitOptions"/>. The app's pipeline needs <c>app.UseRateLimiter()</c>
/// after <c>UseRouting()</c>.
/// </summary>
internal static class LoginRateLimit
{
    /// <summary>The rate-limiting policy the login endpoint requires.</summary>
    public const string PolicyName = "bff-login";

    /// <summary>Registers the policy and the 429 answer (Retry-After, ProblemDetails or a short page).</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddBffLoginRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PolicyName, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<LoginSettings>>().CurrentValue.Login.RateLimit;
                if (settings.PermitLimit <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }

                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = (rejected, _) => RejectAsync(rejected.HttpContext, rejected.Lease);
        });
        return services;
    }

    /// <summary>The partition of an address: IPv4 as is, IPv6 by its /64 (one host holds a whole /64).</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync($"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Too many sign-in attempts</title></head>
                <body><h1>Too many sign-in attempts</h1><p>Please wait {seconds} seconds, then <a href="/">try again</a>.</p></body></html>
                """, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many sign-in attempts",
            Detail = $"Too many logins were started from this address; try again in {seconds} seconds.",
        };
        problem.Extensions["error"] = "too_many_requests";
        await BffApiProblems.WriteAsync(context, problem).ConfigureAwait(false);
    }
}
