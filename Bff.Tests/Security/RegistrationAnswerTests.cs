using Bff.Security.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>A question about the registrations is asked with the first request's services, then its answer is kept.</summary>
public sealed class RegistrationAnswerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_first_answer_is_kept_without_asking_again(bool registered)
    {
        var asked = 0;
        var answer = new RegistrationAnswer(services =>
        {
            asked++;
            return services.GetService<IDisposable>() is not null;
        });
        var services = new ServiceCollection();
        if (registered)
        {
            services.AddSingleton<IDisposable>(new MemoryStream());
        }

        using var first = services.BuildServiceProvider();
        using var other = new ServiceCollection().AddSingleton<IDisposable>(new MemoryStream()).BuildServiceProvider();

        Assert.Equal(registered, answer.For(first));
        Assert.Equal(registered, answer.For(other));
        Assert.Equal(registered, answer.For(first));
        Assert.Equal(1, asked);
    }
}
