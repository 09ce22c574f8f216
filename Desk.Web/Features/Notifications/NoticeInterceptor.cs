using Desk.Web.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// Hooks <see cref="Notices"/> into every save of every <see cref="DeskDbContext"/> (the application's, a command's, a
/// test's): the notices are added to the unit of work just before it is written, so they commit or roll back with the
/// change that caused them. Stateless; one instance serves every context.
/// </summary>
public sealed class NoticeInterceptor : SaveChangesInterceptor
{
    public static readonly NoticeInterceptor Instance = new();

    private NoticeInterceptor() { }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is DeskDbContext db) await Notices.AddAsync(db, Notices.Derive(db), cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is DeskDbContext db) Notices.AddAsync(db, Notices.Derive(db), CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }
}
