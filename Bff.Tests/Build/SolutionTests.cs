namespace Bff.Tests.Build;

public class SolutionTests
{
    [Fact]
    public void Library_assembly_is_named_Bff_Core()
    {
        Assert.Equal("Bff.Core", typeof(Bff.Sessions.IServerSessionStore).Assembly.GetName().Name);
    }
}
