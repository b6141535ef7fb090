using Bff.Sessions;

namespace Bff.Tests.Build;

/// <summary>
/// Bff.Core's feature folders as the compiled code shows them (<see cref="FeatureGraph"/> reads
/// signatures and method bodies): namespaces follow the folder rule, internals stay internal, and the
/// features' dependencies form no cycle. They run one way, through these layers (a feature uses only
/// features below it):
/// <list type="number">
/// <item><c>Telemetry</c> (the instruments), <c>Api</c> (what every endpoint stands on: <c>IBffEndpoint</c>,
/// API request classification, the anti-forgery header, ProblemDetails answers, <c>RequireBffApi</c>) and
/// <c>Claims</c> (Keycloak role mapping);</item>
/// <item><c>Sessions</c>, with the session-ended signal (<c>SessionLifecycle</c>) the features above listen to;</item>
/// <item><c>Tokens</c>, which revoke an ended session's refresh token for Sessions through
/// <c>IRefreshTokenRevocation</c> and add their 401/503 answers to API endpoints through <c>IBffApiEndpointFilter</c>;</item>
/// <item><c>Users</c>, then <c>Login</c>, then <c>Logout</c>, <c>Events</c> and <c>Account</c>;</item>
/// <item><c>Proxy</c>, then <c>Security</c> (headers, Data Protection, public origin, the API's
/// authentication scheme), then <c>Health</c>; beside them <c>Redis</c> (every Redis registration, in one
/// place), which only the root calls;</item>
/// <item>the root <c>Bff</c>, which composes them: <c>BffOptions</c> holds each feature's options, and
/// each feature reads only its own part (<c>BffOptionsParts</c>).</item>
/// </list>
/// </summary>
public sealed class FeatureLayoutTests
{
    private static readonly FeatureGraph Graph = FeatureGraph.Of(typeof(IServerSessionStore).Assembly);

    /// <summary>Every feature folder of Bff.Core (each <c>Bff.X</c> namespace), and the root namespace <c>Bff</c>.</summary>
    private static readonly HashSet<string> Features = Graph.Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("Bff", StringComparison.Ordinal) == true)
        .Select(t => FeatureGraph.FeatureOf(t.Namespace))
        .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_feature_folder_is_checked()
    {
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "Bff", "Events", "Telemetry", "Sessions", "Tokens", "Login", "Logout" }, Features);
    }

    [Fact]
    public void Every_namespace_is_a_feature_or_its_Internal_part()
    {
        var wrong = Graph.Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && ns.StartsWith("Bff", StringComparison.Ordinal))
            .Select(t => t.Namespace!)
            .Distinct()
            .Where(ns => ns.Split('.') is var parts && !(parts.Length <= 2 || (parts.Length == 3 && parts[2] == "Internal")));

        Assert.Empty(wrong);
    }

    [Fact]
    public void Internal_namespaces_hold_no_public_type()
    {
        var exposed = Graph.Assembly.GetExportedTypes()
            .Where(t => t.Namespace?.EndsWith(".Internal", StringComparison.Ordinal) == true)
            .Select(t => t.FullName);

        Assert.Empty(exposed);
    }

    [Fact]
    public void Feature_folder_roots_hold_no_internal_type()
    {
        // A folder's root is what an app sees of the feature (its contracts and options); an
        // implementation there reads as part of the contract and hides the line between the two.
        var atRoots = Graph.Assembly.GetTypes()
            .Where(t => !t.IsNested && !t.IsPublic && !IsCompilerGenerated(t)
                && t.Namespace?.Split('.') is ["Bff", not "Internal"])
            .Select(t => t.FullName!)
            .ToHashSet(StringComparer.Ordinal);

        var atRootsList = string.Join(", ", atRoots.Order());
        Assert.True(atRoots.Count == 0, $"Internal types at a feature folder's root (move them to its Internal/): {atRootsList}");
    }

    [Fact]
    public void No_feature_dependency_lies_on_a_cycle()
    {
        var onCycles = Graph.EdgesOnCycles(Features)
            .Order()
            .Select(edge => $"{edge.From} -> {edge.To} ({Graph.Witnesses.GetValueOrDefault(edge)})");

        Assert.Empty(onCycles);
    }

    [Fact]
    public void The_graph_reads_references_made_only_inside_method_bodies()
    {
        // Users uses Tokens only inside method bodies (UserEndpoint calls BffSchemes and TokenExpiry
        // in GetUserAsync); no signature, field or attribute of a Users type names a Tokens type.
        Assert.Contains("Tokens", Graph.Edges["Users"]);
    }

    // Types the compiler writes for `file` classes, lambdas and the like are not the code's layout.
    private static bool IsCompilerGenerated(Type type) =>
        type.Name.Contains('<', StringComparison.Ordinal)
        || type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);
}
