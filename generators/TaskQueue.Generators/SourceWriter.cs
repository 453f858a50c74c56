using System;
using System.Text;

namespace TaskQueue.Generators
{
    /// <summary>A tiny indenting text writer for generated C#.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        /// <summary>Writes "{" and indents.</summary>
        public SourceWriter Open(string? header = null)
        {
            if (header is not null)
            {
                Line(header);
            }

            Line("{");
            _indent++;
            return this;
        }

        /// <summary>Unindents and writes "}" (plus an optional suffix such as ";").</summary>
        public SourceWriter Close(string suffix = "")
        {
            _indent = Math.Max(0, _indent - 1);
            Line("}" + suffix);
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
