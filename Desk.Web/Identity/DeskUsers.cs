using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Identity;

/// <summary>
/// The desk's people as admins manage them: create, change the role, disable and enable, remove. The one place that
/// turns Identity's errors into one message, and that keeps the desk from losing its last admin. Every change that
/// matters to a session (role, disabled, removed) gives the user a new security stamp, so their open sessions end at
/// once on every desk (see <see cref="DeskSessions"/>): a demoted admin does not keep admin pages in an open tab.
/// </summary>
public sealed class DeskUsers(UserManager<DeskUser> users, DeskDbContext db, DeskSignals signals)
{
    /// <summary>
    /// What a disabled user's lockout end is set to: "locked out for ever" in Identity's own terms, so every sign-in and
    /// session check refuses them. A fixed date, not <see cref="DateTimeOffset.MaxValue"/>, which PostgreSQL maps to infinity.
    /// </summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsDisabled(DeskUser user) => IsDisabled(user.LockoutEnabled, user.LockoutEnd);

    public static bool IsDisabled(bool lockoutEnabled, DateTimeOffset? lockoutEnd) => lockoutEnabled && lockoutEnd >= DisabledUntil;

    /// <summary>Creates the user, or returns why not (taken name or address, weak password, unknown role).</summary>
    public async Task<string?> CreateAsync(string userName, string email, string displayName, string password, string role) =>
        (await CreateAsync(userName, email, displayName, password, passwordHash: null, role)).Refused;

    /// <summary>
    /// Creates people who all have one password (the demo desk's, which is published): it is checked and hashed for the
    /// first and the others get that hash. A hash costs about 0.1 s of CPU by design (PBKDF2, 100,000 rounds), and the
    /// demo desk has 14 people: hashing once took 1.3 s off its first start. Returns why one could not be made, or null.
    /// </summary>
    public async Task<string?> CreateWithOnePasswordAsync(IEnumerable<(string UserName, string Email, string Role)> people, string password)
    {
        string? hash = null;
        foreach (var (userName, email, role) in people)
        {
            var (refused, user) = await CreateAsync(userName, email, userName, password, hash, role);
            if (refused is not null) return $"{userName}: {refused}";
            hash ??= user.PasswordHash;
        }
        return null;
    }

    private async Task<(string? Refused, DeskUser User)> CreateAsync(string userName, string email, string displayName, string password,
        string? passwordHash, string role)
    {
        var user = NewUser(userName, email, displayName);
        if (!DeskRoles.All.Contains(role)) return ($"\"{role}\" is not a role; use one of {string.Join(", ", DeskRoles.All)}.", user);
        user.PasswordHash = passwordHash;
        // With a hash, the password it came from has passed the validators already.
        var created = passwordHash is null ? await users.CreateAsync(user, password) : await users.CreateAsync(user);
        if (!created.Succeeded) return (Errors(created), user);
        var added = await users.AddToRoleAsync(user, role);
        return (added.Succeeded ? null : Errors(added), user);
    }

    /// <summary>
    /// An admin adds a person without a password (an admin never knows anyone's): the caller mails them a link to set one
    /// (<see cref="PasswordLinks"/>). Throws a <see cref="DomainException"/> with why not.
    /// </summary>
    public async Task<DeskUser> CreateWithoutPasswordAsync(string userName, string email, string displayName, string role, CancellationToken ct)
    {
        if (!DeskRoles.All.Contains(role)) throw new DomainException("Choose a role.");
        if (string.IsNullOrWhiteSpace(userName)) throw new DomainException("Give a user name.");
        if (string.IsNullOrWhiteSpace(email)) throw new DomainException("Give an e-mail address: the link to set a password goes there.");
        await using var transaction = await db.BeginWriteAsync(ct);
        var user = NewUser(userName, email, displayName);
        Check(await users.CreateAsync(user));
        Check(await users.AddToRoleAsync(user, role));
        await transaction.CommitAsync(ct);
        return user;
    }

    /// <summary>Gives the user <paramref name="role"/> instead of the one they had; their sessions end, so the new role applies at once.</summary>
    public Task ChangeRoleAsync(string userName, string role, string actor, CancellationToken ct) =>
        ChangeAsync(userName, actor, ct, async user =>
        {
            if (!DeskRoles.All.Contains(role)) throw new DomainException("Choose a role.");
            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == role) return;
            if (current.Contains(DeskRoles.Admin) && role != DeskRoles.Admin) await RefuseLastAdminAsync(user, "demoted", ct);
            Check(await users.RemoveFromRolesAsync(user, current));
            Check(await users.AddToRoleAsync(user, role));
            Check(await users.UpdateSecurityStampAsync(user));
        });

    /// <summary>Disables the user: every session ends at once and no sign-in works until an admin enables them again.</summary>
    public Task DisableAsync(string userName, string actor, CancellationToken ct) =>
        ChangeAsync(userName, actor, ct, async user =>
        {
            if (string.Equals(user.UserName, actor, StringComparison.Ordinal)) throw new DomainException("You cannot disable yourself; ask another admin.");
            if (IsDisabled(user)) return;
            if (await users.IsInRoleAsync(user, DeskRoles.Admin)) await RefuseLastAdminAsync(user, "disabled", ct);
            user.LockoutEnabled = true;
            user.LockoutEnd = DisabledUntil;
            Check(await users.UpdateSecurityStampAsync(user)); // saves the lockout with the new stamp, in one write
        });

    /// <summary>Enables a disabled user; they sign in with their password as before (their old sessions stay ended).</summary>
    public Task EnableAsync(string userName, string actor, CancellationToken ct) =>
        ChangeAsync(userName, actor, ct, async user =>
        {
            if (!IsDisabled(user)) return;
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            Check(await users.UpdateAsync(user));
        });

    /// <summary>
    /// Removes the user's account: they can never sign in again and their sessions end. Their name stays where it was
    /// written (audit trails, conversations, notes), as history. Refused while open tickets are assigned to them.
    /// </summary>
    public Task RemoveAsync(string userName, string actor, CancellationToken ct) =>
        ChangeAsync(userName, actor, ct, async user =>
        {
            if (string.Equals(user.UserName, actor, StringComparison.Ordinal)) throw new DomainException("You cannot remove yourself; ask another admin.");
            if (await users.IsInRoleAsync(user, DeskRoles.Admin)) await RefuseLastAdminAsync(user, "removed", ct);
            var name = user.UserName!;
            var open = await db.Tickets.CountAsync(t => t.AssignedTo == name && TicketStates.Open.Contains(t.State), ct);
            if (open > 0) throw new DomainException("{0} still has {1} open tickets assigned; assign them to someone else first.", name, open);
            Check(await users.DeleteAsync(user));
            await ForgetPersonalRowsAsync(name, ct);
        });

    /// <summary>
    /// What was the removed person's own, kept by name: a later user given the same name must not inherit their drafts,
    /// signature, notices, preferences, digest, canned replies, teams or unread marks. What they wrote on tickets stays.
    /// </summary>
    private async Task ForgetPersonalRowsAsync(string name, CancellationToken ct)
    {
        await db.Set<Features.Drafts.ReplyDraft>().Where(d => d.Agent == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Signatures.AgentSignature>().Where(s => s.Agent == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Notifications.Notification>().Where(n => n.Recipient == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Notifications.NotificationPreferences>().Where(p => p.UserName == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Digest.DigestSubscription>().Where(s => s.UserName == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Digest.DigestDelivery>().Where(d => d.UserName == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Teams.TeamMember>().Where(m => m.UserName == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Live.TicketView>().Where(v => v.UserName == name).ExecuteDeleteAsync(ct);
        await db.Set<Features.Live.TicketPresence>().Where(p => p.UserName == name).ExecuteDeleteAsync(ct);
        await db.Macros.Where(m => m.Owner == name).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// One change to one user in a write transaction that first takes the admin role's row (a no-op update): two admins
    /// changing admins at once, on any desk, take turns, so the last-admin check cannot be passed by both. The sessions
    /// signal is raised again after the commit: the one Identity raised on saving came before other desks could read the change.
    /// </summary>
    private async Task ChangeAsync(string userName, string actor, CancellationToken ct, Func<DeskUser, Task> change)
    {
        await using (var transaction = await db.BeginWriteAsync(ct))
        {
            var stamp = Guid.NewGuid().ToString();
            await db.Roles.Where(r => r.Name == DeskRoles.Admin).ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, stamp), ct);
            var user = await users.FindByNameAsync(userName.Trim()) ?? throw new DomainException("There is no user \"{0}\".", userName);
            await change(user);
            await transaction.CommitAsync(ct);
        }
        await signals.RaiseAsync(DeskSignals.Sessions, ct);
    }

    /// <summary>Refuses the change when <paramref name="user"/> is the only admin left who can sign in.</summary>
    private async Task RefuseLastAdminAsync(DeskUser user, string what, CancellationToken ct)
    {
        // Compared here, not in SQL: SQLite cannot compare DateTimeOffset values; a desk has a handful of admins.
        var admins = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            join u in db.Users on ur.UserId equals u.Id
            where r.Name == DeskRoles.Admin && u.Id != user.Id
            select new { u.LockoutEnabled, u.LockoutEnd }).ToListAsync(ct);
        if (!admins.Any(a => !IsDisabled(a.LockoutEnabled, a.LockoutEnd)))
            throw new DomainException(what switch
            {
                "demoted" => "{0} is the last admin who can sign in: make someone else an admin first, or the desk could not be managed any more.",
                "disabled" => "{0} is the last admin who can sign in and cannot be disabled: make someone else an admin first.",
                _ => "{0} is the last admin who can sign in and cannot be removed: make someone else an admin first.",
            }, user.UserName!);
    }

    private static DeskUser NewUser(string userName, string email, string displayName) =>
        new() { UserName = userName.Trim(), Email = email.Trim(), DisplayName = (string.IsNullOrWhiteSpace(displayName) ? userName : displayName).Trim(), EmailConfirmed = true };

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new DomainException("{0}", Errors(result));
    }

    private static string Errors(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
