using Bff.Configuration;
using Bff.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>The mapped local users; administrators only.</summary>
[Authorize(Policy = BffAuthenticationDefaults.AdminPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class UsersModel(IUserStore users) : PageModel
{
    public IReadOnlyList<BffUser> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await users.ListAsync(cancellationToken);
}
