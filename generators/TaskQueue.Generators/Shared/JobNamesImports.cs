// JobNames.cs is linked from the runtime, which relies on implicit usings; Roslyn components turn them off.
global using System;
