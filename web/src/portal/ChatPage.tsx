import { PlusOutlined, RobotOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import { useI18n } from '../i18n';
import { ChatPanel } from './ChatPanel';
import { chatStore } from './chatStore';

/** 智能问答: the robot chat on a page of its own (the same conversation as the floating panel). */
export function ChatPage() {
  const { t } = useI18n();
  return (
    <Card
      title={
        <Space>
          <RobotOutlined />
          {t('chat.title')}
        </Space>
      }
      extra={
        <Button icon={<PlusOutlined />} onClick={() => chatStore.reset()} data-testid="chat-new-session">
          {t('chat.newSession')}
        </Button>
      }
    >
      <ChatPanel />
    </Card>
  );
}
