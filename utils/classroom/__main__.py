"""``python -m utils.classroom exam|grade|report|guide``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.classroom", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("exam", help="write the exam edition (no answer key anywhere) to OUT")
    p.add_argument("out")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")

    p = sub.add_parser("grade", help="score attempt files with the teacher's key → CSV")
    p.add_argument("paths", nargs="*", help="attempt files or folders (searched for attempts*.jsonl)")
    p.add_argument("--hub-export", action="append", default=[], metavar="FILE",
                   help="attempts-class.jsonl downloaded from the hub's classroom service (learner names from the hub)")
    p.add_argument("--out", default="grades", help="output folder (default: grades)")
    p.add_argument("--all", action="store_true", help="grade every record, not only exam ones")

    p = sub.add_parser("report", help="class report over many learners' attempt files → HTML + CSV")
    p.add_argument("paths", nargs="*", help="attempt files or folders (e.g. every learner's home)")
    p.add_argument("--hub-export", action="append", default=[], metavar="FILE",
                   help="attempts-class.jsonl downloaded from the hub's classroom service (learner names from the hub)")
    p.add_argument("--out", default="class-report", help="output folder (default: class-report)")

    p = sub.add_parser("guide", help="write the teacher's answer file (on demand, outside what JupyterLab serves)")
    p.add_argument("--out", default=None, help="default: .teacher/instructor_answers.md (hidden, ignored by git)")
    p.add_argument("--check", action="store_true", help="fail if the file is not up to date")

    args = parser.parse_args(argv)
    if args.cmd in ("grade", "report") and not (args.paths or args.hub_export):
        parser.error("请给出学员的答题记录文件或文件夹，或用 --hub-export 给出从课堂服务下载的记录")
    if args.cmd == "report":
        from . import report

        rep = report.build(args.paths, hub_exports=args.hub_export)
        paths = report.write(rep, Path(args.out))
        print(report.summary(rep))
        print(f"已写出：{paths[0]}（另有 {len(paths) - 1} 个 CSV）")
        return 0
    if args.cmd == "grade":
        from . import grade

        return grade.main(args)
    if args.cmd == "exam":
        from . import exam

        return exam.main(args)
    if args.cmd == "guide":
        from . import guide

        return guide.main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
