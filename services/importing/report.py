"""What an import did, or why it refused the file: every bad row with its line number."""
from dataclasses import dataclass, field

KIND_NAMES = {"cases": "案件 cases", "judges": "法官 judges"}


@dataclass(frozen=True)
class RowError:
    """One problem: the file line (header = line 1), the column, the value found, and why."""

    line: int
    column: str
    value: str
    message: str

    def render(self) -> str:
        shown = f' = "{self.value}"' if self.value else ""
        return f"  第 {self.line} 行 line {self.line}, {self.column}{shown}: {self.message}"


@dataclass(frozen=True)
class RowChange:
    """What a re-import changes on a row already stored (found by 工号 or 案号): one field, before and after."""

    line: int
    key: str
    column: str
    before: object
    after: object

    def render(self) -> str:
        return f"  第 {self.line} 行 line {self.line}, {self.key}: {self.column} “{_shown(self.before)}” → “{_shown(self.after)}”"


def _shown(value) -> str:
    return "" if value is None else str(value)


@dataclass
class ImportReport:
    kind: str
    file: str
    dry_run: bool = False
    update: bool = False
    sha256: str = ""
    rows_read: int = 0
    rows_imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    changes: list[RowChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    def add(self, line: int, column: str, value: str, message: str) -> None:
        self.errors.append(RowError(line, column, value, message))

    def summary(self) -> dict:
        """The counts the trace entry keeps."""
        return {"file": self.file, "sha256": self.sha256, "rows_read": self.rows_read,
                "rows_imported": self.rows_imported, **self.counts,
                **({"changes": [vars(c) | {"before": str(c.before), "after": str(c.after)} for c in self.changes[:500]]}
                   if self.changes else {})}

    def render(self) -> str:
        head = [f"导入{KIND_NAMES.get(self.kind, self.kind)}: {self.file}",
                f"读取 rows read: {self.rows_read}"]
        return "\n".join(head + (self._success_lines() if self.ok else self._refusal_lines()))

    def _success_lines(self) -> list[str]:
        if self.dry_run:
            lines = [f"试运行 dry run: {self.rows_read} 行均有效 rows valid; 未写入 nothing was written"]
        else:
            lines = [f"导入 rows imported: {self.rows_imported}"]
        lines += [f"  {name}: {count}" for name, count in self.counts.items()]
        if self.update:
            lines.append(f"{'将更新' if self.dry_run else '已更新'} {'would change' if self.dry_run else 'changed'}: "
                         f"{len(self.changes)} 处 fields on rows already stored")
            lines += [c.render() for c in self.changes[:200]]
            lines += [f"  … {len(self.changes) - 200} more"] if len(self.changes) > 200 else []
        return lines + ([f"sha256: {self.sha256}"] if self.sha256 else [])

    def _refusal_lines(self) -> list[str]:
        lines = [f"拒绝导入 file refused: {len(self.bad_lines)} 行有错误 bad rows, "
                 f"{len(self.errors)} 处错误 errors; 未导入任何数据 nothing was imported"]
        return lines + [e.render() for e in sorted(self.errors, key=lambda e: e.line)]
