// The linked JobNames.cs is written for the core project, which has implicit usings.
global using System;
