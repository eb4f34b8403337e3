namespace Network.TestSupport;

/// <summary>One of the platform's own executables, as built by this test run, started as a real process.</summary>
public static class ServiceProcess
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The folder that holds Network.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The built assembly of a project, for example ("noc-server/NocServer", "Network.Noc").</summary>
    public static string AssemblyPath(string projectFolder, string assemblyName)
    {
        string path = Path.Combine(RepositoryRoot, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built: build Network.sln in {Configuration} first", path);
    }

    /// <summary>Starts <c>dotnet ASSEMBLY args</c> in the project's folder (its content root) with extra environment.</summary>
    public static PeerProcess Start(string projectFolder, string assemblyName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        PeerProcess.Start("dotnet", [AssemblyPath(projectFolder, assemblyName), .. arguments], environment,
            Path.Combine(RepositoryRoot, projectFolder));

    /// <summary>Runs <c>dotnet ASSEMBLY args</c> to completion.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string projectFolder, string assemblyName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? stdin = null) =>
        PeerProcess.RunAsync("dotnet", [AssemblyPath(projectFolder, assemblyName), .. arguments], stdin, TimeSpan.FromSeconds(60), environment);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Network.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Network.sln not found above " + AppContext.BaseDirectory);
    }
}
