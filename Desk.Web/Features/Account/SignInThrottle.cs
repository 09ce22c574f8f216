using System.ComponentModel.DataAnnotations;
using Desk.Web.Features.Public;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Account;

/// <summary>The sign-in settings (<c>Desk:SignIn</c>).</summary>
public sealed class SignInOptions
{
    public const string Section = "Desk:SignIn";

    /// <summary>Wrong sign-ins one client address may make per window of the public limit (<c>Desk:PublicForm:WindowMinutes</c>).</summary>
    [Range(1, 10_000)]
    public int FailuresPerClient { get; set; } = 10;
}

/// <summary>
/// Wrong passwords are limited per client address, not per account: an account lock let anyone lock out any agent or
/// the admin by typing their name five times, and told which names exist (only real accounts ever locked). A client
/// that has made <see cref="SignInOptions.FailuresPerClient"/> wrong sign-ins in the window is refused — whatever name
/// it types, real or not — until the window ends. Counted in the database with the public limit's windows, so every
/// desk behind a load balancer sees the same count.
/// </summary>
public sealed class SignInThrottle(PublicPostLimit counts, IOptions<SignInOptions> options)
{
    private const string Kind = "sign-in failure";

    public async Task<bool> IsOverAsync(string client, CancellationToken ct) =>
        await counts.CountedAsync(Kind, client, ct) >= options.Value.FailuresPerClient;

    public Task FailedAsync(string client, CancellationToken ct) => counts.CountAsync(Kind, client, ct);
}
