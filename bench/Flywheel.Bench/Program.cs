Console.WriteLine("Flywheel benchmarks: see docs/benchmarks.md");
