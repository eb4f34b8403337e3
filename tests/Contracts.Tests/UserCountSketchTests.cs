using System.Globalization;

namespace Network.Contracts.Tests;

/// <summary>The distinct-user sketch the portal sends: its estimate, its merge, and what it refuses to read.</summary>
public sealed class UserCountSketchTests
{
    private static UserCountSketch Of(int from, int to)
    {
        var sketch = new UserCountSketch();
        for (int i = from; i < to; i++)
        {
            sketch.Add(string.Create(CultureInfo.InvariantCulture, $"user-{i}"));
        }

        return sketch;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(10_000)]
    [InlineData(200_000)]
    public void The_estimate_is_within_three_standard_errors(int users)
    {
        long estimate = Of(0, users).Estimate();

        Assert.InRange(estimate, users * 0.9, users * 1.1 + 1);
    }

    [Fact]
    public void Adding_a_user_again_changes_nothing_and_a_merge_counts_the_union_once()
    {
        UserCountSketch a = Of(0, 6_000);
        UserCountSketch again = Of(0, 6_000);
        again.Add("user-1");
        UserCountSketch b = Of(4_000, 10_000);

        Assert.Equal(a.ToArray(), again.ToArray());
        a.Merge(b);
        Assert.Equal(Of(0, 10_000).ToArray(), a.ToArray());
        Assert.Equal(a.ToArray(), UserCountSketch.FromBase64(a.ToBase64())!.ToArray());
    }

    [Fact]
    public void Registers_of_the_wrong_size_or_impossible_ranks_or_not_base64_are_not_a_sketch()
    {
        byte[] impossible = new byte[UserCountSketch.Size];
        impossible[3] = 60;

        Assert.Null(UserCountSketch.FromArray(new byte[UserCountSketch.Size - 1]));
        Assert.Null(UserCountSketch.FromArray(impossible));
        Assert.Null(UserCountSketch.FromBase64("not base64 at all!"));
        Assert.Null(UserCountSketch.FromBase64(null));
        Assert.Null(UserCountSketch.FromBase64(new string('A', 4 * UserCountSketch.Size)));
        Assert.NotNull(UserCountSketch.FromArray(new byte[UserCountSketch.Size]));
    }
}
