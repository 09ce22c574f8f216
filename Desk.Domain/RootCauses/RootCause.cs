namespace Desk.Domain.RootCauses;

/// <summary>
/// A category of the two-level root-cause taxonomy: a top-level "hole in the bucket" (no parent)
/// or one of its sub-causes. Admins edit the taxonomy; retired causes stay for old tickets.
/// </summary>
public sealed class RootCause
{
    private RootCause() { } // for EF Core

    public RootCause(int id, string code, string name, string nameZh, int? parentId, int sortOrder)
    {
        if (id <= 0) throw new DomainException("A root cause needs a positive id.");
        if (parentId == id) throw new DomainException("A root cause cannot be its own parent.");
        Id = id;
        Code = string.IsNullOrWhiteSpace(code) ? throw new DomainException("A root cause needs a code.") : code.Trim();
        Name = string.IsNullOrWhiteSpace(name) ? throw new DomainException("A root cause needs a name.") : name.Trim();
        NameZh = string.IsNullOrWhiteSpace(nameZh) ? Name : nameZh.Trim();
        ParentId = parentId;
        SortOrder = sortOrder;
        IsActive = true;
    }

    public int Id { get; private set; }
    /// <summary>Stable, language-neutral key, e.g. "staff-attitude/rude".</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string NameZh { get; private set; } = "";
    /// <summary>Null for a top-level cause; the top-level cause otherwise (two levels only).</summary>
    public int? ParentId { get; private set; }
    public int SortOrder { get; private set; }
    /// <summary>Retired causes are not offered for new resolutions but stay on the tickets that used them.</summary>
    public bool IsActive { get; private set; }

    public void Rename(string name, string? nameZh)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new DomainException("A root cause needs a name.") : name.Trim();
        NameZh = string.IsNullOrWhiteSpace(nameZh) ? Name : nameZh.Trim();
    }

    public void Retire() => IsActive = false;
    public void Restore() => IsActive = true;
}
