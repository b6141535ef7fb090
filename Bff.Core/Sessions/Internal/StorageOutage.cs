using System.Data.Common;
using Bff.Api.Internal;
using StackExchange.Redis;

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
            if (current is RedisException or RedisTimeoutException)
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
}
