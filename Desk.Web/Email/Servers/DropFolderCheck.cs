namespace Desk.Web.Email.Servers;

/// <summary>What the drop folder test found: <see cref="Ok"/>, or the one thing that is wrong.</summary>
public enum DropFolderProblem
{
    Ok,
    /// <summary>The path is not absolute.</summary>
    NotAbsolute,
    /// <summary>Nothing is there.</summary>
    Missing,
    /// <summary>A file is there, not a folder.</summary>
    NotAFolder,
    /// <summary>The desk may not list the folder's files.</summary>
    CannotRead,
    /// <summary>The desk may not create (or remove) a file in it.</summary>
    CannotWrite,
}

/// <summary>
/// Checks, from this desk, that a drop folder can be used: it exists, is a folder, and the desk can list its files and
/// write in it (a file is created and removed again, as the intake moves taken-in mail to processed/). Never throws.
/// </summary>
public static class DropFolderCheck
{
    public static DropFolderProblem Check(string? path)
    {
        var folder = path?.Trim() ?? "";
        if (folder.Length == 0 || !Path.IsPathFullyQualified(folder)) return DropFolderProblem.NotAbsolute;
        if (File.Exists(folder)) return DropFolderProblem.NotAFolder;
        if (!Directory.Exists(folder)) return DropFolderProblem.Missing;
        try
        {
            _ = Directory.EnumerateFileSystemEntries(folder).Take(1).ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return DropFolderProblem.CannotRead;
        }
        var probe = Path.Combine(folder, $".desk-write-test-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return DropFolderProblem.CannotWrite;
        }
        return DropFolderProblem.Ok;
    }
}
