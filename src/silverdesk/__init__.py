"""silverdesk — 离退休干部志愿服务工作管理系统."""

__version__ = "0.1.0"
