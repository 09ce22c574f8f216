namespace Desk.Tests.Support;

/// <summary>Finds files of the repository from a test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ServiceDesk.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ServiceDesk.sln not found above {AppContext.BaseDirectory}.");
    }
}
