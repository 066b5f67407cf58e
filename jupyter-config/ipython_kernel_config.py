# IPython kernel configuration installed with the course (pip install -r requirements.txt puts it in
# <environment>/etc/ipython/, which every IPython kernel of that environment reads — no file in the
# learner's home folder is involved).
#
# It adds one thing: when a cell fails because the chapter's setup cell has not run yet
# (NameError for utils / ex / ch / ____) or because the course package cannot be imported
# (ModuleNotFoundError: utils), the learner gets a Chinese line saying what to run first, above
# the usual traceback.  The hint code is self-contained: it must work exactly when `utils` is
# missing.  Kernels of other projects in the same environment see no change unless one of those
# names is undefined.
c = get_config()  # noqa: F821 - provided by the config loader

_HINT = r'''
def _course_first_run_hint():
    import sys

    setup_names = {"utils", "ex", "ch", "____"}
    before_setup = ("【先运行准备单元】这个单元用到了 {name}，它要等本章开头的准备单元运行后才有："
                    "请先运行笔记本最上方标着 import utils / utils.setup() 的单元"
                    "（或用菜单“运行 → 运行选中单元格上方的所有单元格”），再运行这个单元。")
    not_installed = ("【找不到课程工具包 utils】这个内核找不到本课程的 utils 包。请在仓库根目录运行 "
                     "pip install -r requirements.txt（会把课程本身一起装上），然后重启内核；"
                     "或者确认右上角选择的内核就是装了课程的那个 Python 环境。")

    def handler(shell, etype, value, tb, tb_offset=None):
        hint = None
        if etype is NameError and getattr(value, "name", None) in setup_names:
            hint = before_setup.format(name=value.name)
        elif etype is ModuleNotFoundError and (getattr(value, "name", "") or "").split(".")[0] == "utils":
            hint = not_installed
        if hint:
            print(hint, file=sys.stderr, flush=True)
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)

    get_ipython().set_custom_exc((NameError, ModuleNotFoundError), handler)


_course_first_run_hint()
del _course_first_run_hint
'''

c.InteractiveShellApp.exec_lines.append(_HINT)
