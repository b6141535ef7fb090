using Bff.Web;
using Microsoft.AspNetCore.Mvc;

namespace Bff.Tests.Web;

/// <summary>
/// Bff.Web does not look for MVC controllers (its controller discovery would load every type of the
/// app at start-up, EF Core's with them), so it must have none: one added would never be routed.
/// </summary>
public sealed class NoControllersTests
{
    [Fact]
    public void The_app_defines_no_MVC_controller_since_it_does_not_discover_them()
    {
        // MVC's rule (ControllerFeatureProvider): a public, non-abstract, non-generic class named
        // ...Controller or marked [Controller], and not marked [NonController].
        var controllers = typeof(BffWebApp).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true, ContainsGenericParameters: false })
            .Where(t => !t.IsDefined(typeof(NonControllerAttribute), inherit: true))
            .Where(t => t.Name.EndsWith("Controller", StringComparison.OrdinalIgnoreCase) || t.IsDefined(typeof(ControllerAttribute), inherit: true))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(controllers);
    }
}
