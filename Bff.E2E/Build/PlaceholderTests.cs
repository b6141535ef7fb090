namespace Bff.E2E.Build;

public class PlaceholderTests
{
    [Fact]
    public void E2E_assembly_loads()
    {
        Assert.Equal("Bff.E2E", typeof(PlaceholderTests).Assembly.GetName().Name);
    }
}
