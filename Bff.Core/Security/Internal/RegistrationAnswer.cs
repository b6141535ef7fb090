namespace Bff.Security.Internal;

/// <summary>
/// A yes-or-no question about the app's service registrations, answered with the services of the first
/// request that asks and then kept: the registrations are fixed once the app is built, and resolving
/// scoped services to ask again would cost every request a lookup in its scope.
/// </summary>
internal sealed class RegistrationAnswer(Func<IServiceProvider, bool> question)
{
    private const int Unknown = 0, Yes = 1, No = 2;
    private int answer = Unknown;

    public bool For(IServiceProvider requestServices)
    {
        var known = Volatile.Read(ref answer);
        if (known == Unknown)
        {
            known = question(requestServices) ? Yes : No;
            Volatile.Write(ref answer, known);
        }

        return known == Yes;
    }
}
