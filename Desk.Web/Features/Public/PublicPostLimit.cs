using System.Security.Cryptography;
using System.Text;
using Desk.Domain.Customers;
using Desk.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Public;

/// <summary>
/// The limit on posts from outside (complaints, replies on the status page, survey answers), against floods and robots:
/// at most <see cref="PublicFormOptions.PostsPerWindow"/> per fixed window of <see cref="PublicFormOptions.WindowMinutes"/>
/// from one client address, and as many to one customer's e-mail address (a flood spread over many addresses at one
/// customer). Counted in the database, so N desks behind a load balancer allow what one desk allows, not N times it.
/// The client address is the connection's, or the one a known proxy forwarded (see <see cref="ForwardedHeadersSetup"/>).
/// Past windows' rows are deleted by whoever opens a new window: no clean-up job.
/// </summary>
public sealed class PublicPostLimit(DeskDbContext db, TimeProvider clock, IOptions<PublicFormOptions> options)
{
    /// <summary>Whether <paramref name="client"/> has used up this window already (a read: the post is refused before its body is read).</summary>
    public async Task<bool> IsOverAsync(string client, CancellationToken ct)
    {
        var (start, _) = Window();
        var key = Key("ip", client);
        var count = await db.PublicPostCounts.Where(c => c.Key == key && c.WindowStart == start).Select(c => (int?)c.Count).SingleOrDefaultAsync(ct);
        return count >= options.Value.PostsPerWindow;
    }

    /// <summary>
    /// Counts one post from <paramref name="client"/> (and to <paramref name="address"/>, when known); false when either is
    /// over the limit now, and the post must be refused.
    /// </summary>
    public async Task<bool> TryCountAsync(string client, string? address, CancellationToken ct)
    {
        var (start, startMs) = Window();
        var keys = new List<string> { Key("ip", client) };
        if (Normalized(address) is { } to) keys.Add(Key("to", to)); // one the form will refuse is not anyone's address
        var allowed = true;
        var opened = false;
        await using var transaction = await db.BeginWriteAsync(ct);
        foreach (var key in keys)
        {
            var count = (await db.Database.SqlQuery<int>(PublicPostCountSql.Count(key, startMs)).ToListAsync(ct)).Single();
            allowed &= count <= options.Value.PostsPerWindow;
            opened |= count == 1;
        }
        await transaction.CommitAsync(ct);
        if (opened) await RemovePastWindowsAsync(start, ct);
        return allowed;
    }

    /// <summary>
    /// How many times <paramref name="kind"/> <paramref name="value"/> was counted in this window (<see cref="CountAsync"/>):
    /// the same table and windows serve other limits, such as wrong passwords per client (<c>SignInThrottle</c>).
    /// </summary>
    public async Task<int> CountedAsync(string kind, string value, CancellationToken ct)
    {
        var (start, _) = Window();
        var key = Key(kind, value);
        return await db.PublicPostCounts.Where(c => c.Key == key && c.WindowStart == start).Select(c => (int?)c.Count).SingleOrDefaultAsync(ct) ?? 0;
    }

    /// <summary>Counts <paramref name="kind"/> <paramref name="value"/> once in this window; returns the window's count so far.</summary>
    public async Task<int> CountAsync(string kind, string value, CancellationToken ct)
    {
        var (start, startMs) = Window();
        int count;
        await using (var transaction = await db.BeginWriteAsync(ct))
        {
            count = (await db.Database.SqlQuery<int>(PublicPostCountSql.Count(Key(kind, value), startMs)).ToListAsync(ct)).Single();
            await transaction.CommitAsync(ct);
        }
        if (count == 1) await RemovePastWindowsAsync(start, ct);
        return count;
    }

    /// <summary>
    /// Deletes the counts of windows before <paramref name="start"/>, in a transaction of its own after the count is
    /// committed: desks opening windows at once then never wait for each other with a count held, and one that loses a
    /// race for the same old rows (a deadlock, a busy file) leaves them to the next opener.
    /// </summary>
    private async Task RemovePastWindowsAsync(DateTime start, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.BeginWriteAsync(ct);
            await db.PublicPostCounts.Where(c => c.WindowStart < start).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (db.Provider.IsUnavailable(e))
        {
        }
    }

    private static string? Normalized(string? address)
    {
        try
        {
            return string.IsNullOrWhiteSpace(address) ? null : Customer.NormalizeEmail(address);
        }
        catch (Desk.Domain.DomainException)
        {
            return null;
        }
    }

    /// <summary>The client's address as the desk sees it (after a known proxy's X-Forwarded-For).</summary>
    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The answer to a refused post: 429 with a line the customer can act on.</summary>
    public static IActionResult Refusal(HttpContext http) => new ContentResult
    {
        StatusCode = StatusCodes.Status429TooManyRequests,
        ContentType = "text/plain; charset=utf-8",
        Content = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>()[
            "Too many messages from your address in a short time. Please wait a few minutes and try again; nothing you sent before was lost."],
    };

    private (DateTime Start, long StartMs) Window()
    {
        var windowMs = options.Value.WindowMinutes * 60_000L;
        var nowMs = StoredValues.UnixMilliseconds(clock.GetUtcNow().UtcDateTime);
        var startMs = nowMs - nowMs % windowMs;
        return (DateTime.UnixEpoch.AddMilliseconds(startMs), startMs);
    }

    private static string Key(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)));
}

/// <summary>
/// Refuses a public post with 429 before its body is read when its client has used up the window. With
/// <paramref name="countsHere"/> the post is also counted here (by client address only); otherwise the action counts it
/// once it knows the customer's address and whether the post is a re-post of one already taken.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PublicPostLimitAttribute(bool countsHere = false) : Attribute, IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        var limit = http.RequestServices.GetRequiredService<PublicPostLimit>();
        var client = PublicPostLimit.ClientOf(http);
        var refused = countsHere
            ? !await limit.TryCountAsync(client, address: null, http.RequestAborted)
            : await limit.IsOverAsync(client, http.RequestAborted);
        if (refused)
        {
            context.Result = PublicPostLimit.Refusal(http);
            return;
        }
        await next();
    }
}
