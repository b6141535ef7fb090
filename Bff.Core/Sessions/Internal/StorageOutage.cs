using System.Data.Common;
using Bff.Api.Internal;

namespace Bff.Sessions.Internal;

/// <summary>
/// Tells the failures of a shared store (Redis, a database) that pass when it comes back from the
/// bugs that do not: the former answer 503 and keep the session, the latter stay 500s.
/// </summary>
internal static class StorageOutage
{
    /// <summary>
    /// Whether <paramref name="exception"/> (or an exception inside it) says a store could not be
    /// reached or did not answer in time: any Redis failure (connection, timeout, a server still
    /// loading its append-only file after a restart), or a database failure the provider marks transient.
    /// </summary>
    /// <param name="exception">The exception.</param>
    public static bool Is(Exception? exception) => Find(exception) is not null;

    /// <summary>Which store <paramref name="exception"/> says is unavailable (see <see cref="Is"/>), or null.</summary>
    /// <param name="exception">The exception.</param>
    public static UnavailableStore? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsRedisFailure(current))
            {
                return UnavailableStore.Redis;
            }

            if (current is DbException { IsTransient: true })
            {
                // Named by the provider's namespace only: the message could hold the server's address.
                return current.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true
                    ? UnavailableStore.PostgreSql
                    : UnavailableStore.Database;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(s => s is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is one of StackExchange.Redis's failures (a RedisException,
    /// or its timeout, which derives from <see cref="TimeoutException"/>).
    /// </summary>
    /// <remarks>
    /// Note: told by the type's name, not with <c>is</c>: naming the types would load Redis's client into
    /// every app that inspects an exception here, those on LiteDB included.
    /// </remarks>
    private static bool IsRedisFailure(Exception exception)
    {
        for (var type = exception.GetType(); type is not null && type != typeof(Exception); type = type.BaseType)
        {
            if (type.FullName is "StackExchange.Redis.RedisException" or "StackExchange.Redis.RedisTimeoutException")
            {
                return true;
            }
        }

        return false;
    }
}
