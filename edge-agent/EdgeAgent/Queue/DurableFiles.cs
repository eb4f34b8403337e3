using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Queue;

/// <summary>
/// What makes a file survive power loss, not only a crash of the process: fsync of the file's data, and fsync of the
/// folder after a file is created, renamed or deleted (a new name lives in the folder's own blocks).
/// </summary>
internal static partial class DurableFiles
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> all or nothing: a temporary file, fsync, rename, fsync of the folder.</summary>
    public static void ReplaceAtomically(string path, ReadOnlySpan<byte> contents)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsync(2) of a folder, so names created, renamed or removed in it are on disk. Linux only; elsewhere nothing.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(folder, 0); // O_RDONLY: a directory may be opened read-only without O_DIRECTORY, whose value differs by architecture
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
