using System.Globalization;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Shared;

/// <summary>A remedy kind as forms and pages show it, named in the reader's language.</summary>
public sealed record RemedyOption(int Id, string Name, string NameZh, bool IsActive)
{
    public string Display => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? NameZh : Name;
}

/// <summary>The admin-edited list of remedy kinds, for the forms that offer them and the pages that name them.</summary>
public sealed class RemedyOptions(DeskDbContext db, ReferenceCache reference)
{
    /// <summary>Every kind, retired ones included (old tickets still name them), in the admins' order; kept per desk (<see cref="ReferenceCache"/>).</summary>
    public Task<IReadOnlyList<RemedyOption>> AllAsync(CancellationToken ct = default) => Task.FromResult(reference.Get(db).Remedies);

    /// <summary>The kinds offered for new tickets and resolutions.</summary>
    public async Task<IReadOnlyList<RemedyOption>> OfferedAsync(CancellationToken ct = default) =>
        [.. (await AllAsync(ct)).Where(k => k.IsActive)];

    /// <summary>Null for no choice; refuses an id that is unknown or retired, so a stale form cannot store it.</summary>
    public async Task<int?> CheckOfferedAsync(int? id, CancellationToken ct = default) =>
        id is null || await db.RemedyKinds.AnyAsync(k => k.Id == id && k.IsActive, ct) ? id : throw NotOffered();

    /// <inheritdoc cref="CheckOfferedAsync"/>
    public int? CheckOffered(int? id) =>
        id is null || db.RemedyKinds.Any(k => k.Id == id && k.IsActive) ? id : throw NotOffered();

    private static Desk.Domain.DomainException NotOffered() => new("That remedy is no longer offered; please pick another.");
}
