using Desk.Web.Data;
using Desk.Web.Features.Shared;

namespace Desk.Web.Features.Queue;

/// <summary>
/// The queue's filter lists (agents, top-level root causes, the admins' tags), read on every queue page: taken from the
/// desk's kept <see cref="ReferenceLists"/>, which know when they change.
/// </summary>
public sealed class QueueChoicesCache(ReferenceCache reference)
{
    public Task<QueueChoices> GetAsync(DeskDbContext db, CancellationToken ct)
    {
        var lists = reference.Get(db);
        return Task.FromResult(new QueueChoices(lists.Users,
            [.. lists.RootCauses.Where(c => c.ParentId == null).Select(c => new RootCauseOption(c.Id, c.Name, c.NameZh))])
        {
            CuratedTags = lists.CuratedTags,
        });
    }
}
